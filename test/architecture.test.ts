import * as fs from 'fs';
import * as path from 'path';

// The layout is part of the design (DESIGN.md, "Layout"): these tests keep it so.
const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The modules a file imports at run time (`import type` is erased by TypeScript and left out). */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)].map(m => m[1]);
  return specs.map(spec => {
    const base = path.resolve(path.dirname(file), spec);
    return fs.existsSync(`${base}.ts`) ? `${base}.ts` : path.join(base, 'index.ts');
  });
}

function typeOnlyImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^import\s+type\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)].map(m => path.resolve(path.dirname(file), `${m[1]}.ts`));
}

const rel = (file: string) => path.relative(SRC, file);

test('src/ has no import cycles', () => {
  const graph = new Map(sourceFiles().map(f => [f, runtimeImports(f)]));
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, stack: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...stack.slice(stack.indexOf(file)), file].map(rel).join(' → '));
      return;
    }
    state.set(file, 'visiting');
    for (const next of graph.get(file) ?? []) visit(next, [...stack, file]);
    state.set(file, 'done');
  };
  [...graph.keys()].forEach(f => visit(f, []));
  expect(cycles).toEqual([]);
});

test('the only type-only import is the dashboard naming the watch it draws (erased at run time)', () => {
  // FlowLogWatch.dashboard is a FlowLogDashboard and FlowLogDashboard.addWatch() takes a
  // FlowLogWatch: the public API names both, so one side names the other as a type only.
  const typeOnly = sourceFiles().flatMap(f => typeOnlyImports(f).map(t => `${rel(f)} → ${rel(t)}`));
  expect(typeOnly).toEqual(['visibility/flow-log-dashboard.ts → capture/flow-log-watch.ts']);
});

test('the replay engine depends on the construct side only for the field and format definitions', () => {
  const allowed = ['capture/flow-log-field.ts', 'capture/flow-log-format.ts'];
  const outside = sourceFiles(path.join(SRC, 'replay')).flatMap(f => runtimeImports(f)
    .map(rel)
    .filter(target => !target.startsWith('replay/') && !allowed.includes(target))
    .map(target => `${rel(f)} → ${target}`));
  expect(outside).toEqual([]);
});

test('each subsystem folder has an index.ts that opens with what it owns, and src/index.ts only re-exports', () => {
  const folders = fs.readdirSync(SRC, { withFileTypes: true }).filter(e => e.isDirectory() && e.name !== 'private').map(e => e.name);
  expect(folders.length).toBeGreaterThanOrEqual(6);
  for (const folder of folders) {
    const index = fs.readFileSync(path.join(SRC, folder, 'index.ts'), 'utf8');
    expect(index).toMatch(/^\/\/ [A-Z][a-z]+: \S/);
  }
  const root = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8').trim().split('\n');
  expect(root.every(line => /^export \* from '\.\/[a-z-]+';$/.test(line))).toBe(true);
});
