/**
 * Opens the worked example's replay report in headless Chromium (Debian's `chromium` package) and checks
 * it as a person would see it:
 *
 * 1. the browser lays the page out: every simulated alarm has a chart whose series line has a length,
 *    and the alarms that fired, and only they, have shaded ALARM spans of a visible size;
 * 2. the browser paints it: in a screenshot of the page, each shaded span is the shading colour, the
 *    plots of the alarms that did not fire have none of it, and every simulated plot has its line.
 *
 *   npx ts-node --project test/tsconfig.json scripts/check-report-in-browser.ts [--out DIR] [--docs-screenshot FILE]
 *
 * --docs-screenshot writes the small screenshot README shows (the top of the page). Exit status: 0 when
 * every check holds, 1 when one fails, 2 when Chromium is missing or fails.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { App, Stack } from 'aws-cdk-lib';
import { buildExampleApp } from '../examples/app';
import { writeCaptures } from '../examples/captures';
import { main } from '../src/replay/cli';

const WIDTH = 900;
const DOCS_HEIGHT = 1180;
// The README's screenshot stays under 200 KB (test/replay/report): the page's top, to the first fired chart.
const MAX_DOCS_HEIGHT = 1230;
/** The shading's colour (#d62728 at 20 % over white) and the series' (#1f5fa8), within a tolerance per channel. */
const SHADE = [247, 212, 212];
const LINE = [31, 95, 168];
const TOLERANCE = 14;

interface Box { x: number; y: number; width: number; height: number }
interface AlarmLayout {
  name: string;
  simulated: boolean;
  fired: boolean;
  section: Box;
  chart?: Box;
  plot?: Box;
  seriesLength: number;
  hatched: boolean;
  threshold: boolean;
  shades: Box[];
}

async function run(): Promise<number> {
  const args = process.argv.slice(2);
  const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const out = option('--out') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'report-in-browser-'));
  fs.mkdirSync(out, { recursive: true });
  const chromium = ['chromium', 'chromium-browser'].find(c => {
    try {
      execFileSync('sh', ['-c', `command -v ${c}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  if (!chromium) {
    process.stderr.write('check-report-in-browser: chromium is not installed (Debian: apt-get install -y chromium)\n');
    return 2;
  }

  const report = await renderExampleReport(out);
  const started = Date.now();
  const layout = layoutInBrowser(chromium, report, out);
  const height = Math.ceil(Math.max(...layout.map(a => a.section.y + a.section.height))) + 16;
  const screenshot = path.join(out, 'port-scan.png');
  shoot(chromium, report, screenshot, height, out);
  const image = readPng(screenshot);

  const failures: string[] = [];
  const fail = (a: AlarmLayout, what: string) => failures.push(`${a.name}: ${what}`);
  for (const a of layout) {
    if (a.simulated) {
      if (!a.chart || a.chart.width < 300 || a.chart.height < 100) fail(a, `no chart of a readable size (${JSON.stringify(a.chart)})`);
      if (a.seriesLength <= 0) fail(a, 'its series line has no length');
      if (!a.threshold) fail(a, 'no threshold line');
      if (a.fired !== a.shades.length > 0) fail(a, `${a.shades.length} shaded spans, but it ${a.fired ? 'fired' : 'did not fire'}`);
      for (const s of a.shades) {
        if (s.width < 1.5 || s.height < 50) fail(a, `a shaded span too small to see (${JSON.stringify(s)})`);
        const share = shareOf(image, s, SHADE);
        if (share < 0.5) fail(a, `a shaded span is painted in the shading colour on ${(share * 100).toFixed(0)} % of its pixels`);
      }
      if (a.plot && !a.fired && columnsIn(image, a.plot, SHADE) > 0) fail(a, 'a shaded span in the plot of an alarm that did not fire');
      // A line at 0 runs along the plot's bottom edge: look a few pixels past the edges.
      if (a.plot && countOf(image, grown(a.plot, 3), LINE) === 0) fail(a, 'its series line is not painted');
    } else {
      if (a.shades.length > 0 || a.threshold) fail(a, 'not simulated, yet drawn with a threshold or shading');
      if (a.chart && !a.hatched) fail(a, 'not simulated, yet drawn on a plain plot that looks like a quiet one');
    }
  }
  const simulated = layout.filter(a => a.simulated);
  if (simulated.length === 0) failures.push('no simulated alarm in the page');
  if (!simulated.some(a => a.fired)) failures.push('no alarm fired in the worked example');

  const docs = option('--docs-screenshot');
  if (docs) {
    // The header, the summary and the chart of the first alarm that fired, kept small.
    const firstFired = layout.find(a => a.fired);
    const height = firstFired ? Math.ceil(firstFired.section.y + firstFired.section.height + 16) : DOCS_HEIGHT;
    shoot(chromium, report, docs, Math.min(height, MAX_DOCS_HEIGHT), out);
    process.stdout.write(`${docs}: ${fs.statSync(docs).size.toLocaleString('en-US')} bytes\n`);
  }
  process.stdout.write(`${report}\n${screenshot} (${image.width}x${image.height})\n`
    + `${layout.length} alarms: ${simulated.length} simulated, each with a drawn chart; fired and shaded: `
    + `${simulated.filter(a => a.fired).map(a => a.name).join(', ')}; browser time ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (failures.length) {
    process.stderr.write(`check-report-in-browser: ${failures.length} check(s) failed:\n${failures.map(f => `  ${f}\n`).join('')}`);
    return 1;
  }
  process.stdout.write('every check holds\n');
  return 0;
}

/** The port scan's report, as `npx projen replay-example` replays it, with `--html`. */
async function renderExampleReport(out: string): Promise<string> {
  const app = buildExampleApp(new App({ context: { 'aws:cdk:enable-path-metadata': true } }));
  const network = app.node.findChild('FlowLogWatchNetwork') as Stack;
  const template = path.join(out, 'FlowLogWatchNetwork.template.json');
  fs.writeFileSync(template, JSON.stringify(app.synth().getStackArtifact(network.artifactId).template));
  const captures = writeCaptures(template, path.join(out, 'captures'));
  const report = path.join(out, 'port-scan.html');
  const code = await main(['replay', '--template', template, '--log-group', 'VpcWatch/LogGroup', '--refs', captures.refs, '--html', report, captures.portScan],
    { stdout: () => undefined, stderr: t => process.stderr.write(t) });
  if (code !== 0) {
    throw new Error(`the replay of the worked example exited ${code}`);
  }
  // The header names the template where `npx projen replay-example` writes it, not by this run's temporary path.
  fs.writeFileSync(report, fs.readFileSync(report, 'utf8').split(template).join('cdk.out/example/FlowLogWatchNetwork.template.json'));
  return report;
}

/**
 * The page's layout as the browser computes it: a copy of the page with a script (the page itself has
 * none, and its Content-Security-Policy would forbid one) that measures each alarm's chart and writes
 * the measurements into the DOM, which `--dump-dom` prints.
 */
function layoutInBrowser(chromium: string, report: string, out: string): AlarmLayout[] {
  const measure = `<script>
const box = e => { const r = e.getBoundingClientRect(); return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }; };
const alarms = [...document.querySelectorAll('section.alarm')].map(s => {
  const svg = s.querySelector('svg.timeline');
  const series = svg && svg.querySelector('path.series');
  const plot = svg && svg.querySelector('rect.plot');
  return {
    name: s.querySelector('h3').firstChild.textContent,
    simulated: s.dataset.simulated === 'true',
    fired: s.dataset.fired === 'true',
    section: box(s),
    chart: svg ? box(svg) : undefined,
    plot: plot ? box(plot) : undefined,
    seriesLength: series ? series.getTotalLength() : 0,
    hatched: !!plot && (plot.getAttribute('fill') || '').startsWith('url(#'),
    threshold: !!(svg && svg.querySelector('line.threshold')),
    shades: svg ? [...svg.querySelectorAll('rect.alarm-period')].filter(r => getComputedStyle(r).visibility !== 'hidden').map(box) : [],
  };
});
const pre = document.createElement('pre');
pre.id = 'browser-check';
pre.textContent = JSON.stringify(alarms);
document.body.appendChild(pre);
</script>`;
  const page = fs.readFileSync(report, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('</body>', `${measure}</body>`);
  const copy = path.join(out, 'port-scan.measure.html');
  fs.writeFileSync(copy, page);
  const dom = chrome(chromium, ['--dump-dom', `--window-size=${WIDTH},1000`, pathToFileUrl(copy)], out);
  const m = /<pre id="browser-check">([^<]*)<\/pre>/.exec(dom);
  if (!m) {
    throw new Error('the browser did not run the measuring script (no #browser-check in the DOM it dumped)');
  }
  return JSON.parse(m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
}

function shoot(chromium: string, page: string, file: string, height: number, out: string): void {
  chrome(chromium, [`--screenshot=${path.resolve(file)}`, `--window-size=${WIDTH},${height}`, pathToFileUrl(page)], out);
}

function chrome(chromium: string, args: string[], out: string): string {
  return execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1',
    '--no-first-run', '--disable-extensions', `--user-data-dir=${path.join(out, 'chromium-profile')}`, ...args],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
}

function pathToFileUrl(file: string): string {
  return `file://${path.resolve(file)}`;
}

interface Image { width: number; height: number; channels: number; pixels: Buffer }

/** An 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes), decoded. */
function readPng(file: string): Image {
  const buf = fs.readFileSync(file);
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (!header || header[8] !== 8 || ![2, 6].includes(header[9]) || header[12] !== 0) {
    throw new Error(`${file}: not an 8-bit non-interlaced RGB(A) PNG`);
  }
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const channels = header[9] === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[y * stride + i - channels] : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + i] : 0;
      const upLeft = y > 0 && i >= channels ? pixels[(y - 1) * stride + i - channels] : 0;
      const p = left + up - upLeft;
      const paeth = Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft) ? left
        : Math.abs(p - up) <= Math.abs(p - upLeft) ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter];
      pixels[y * stride + i] = (raw[y * (stride + 1) + 1 + i] + predictor) & 255;
    }
  }
  return { width, height, channels, pixels };
}

/** Whether the pixel at (x, y) is within TOLERANCE of `colour` on every channel. */
function isColour(image: Image, x: number, y: number, colour: number[]): boolean {
  const i = (y * image.width + x) * image.channels;
  return colour.every((c, k) => Math.abs(image.pixels[i + k] - c) <= TOLERANCE);
}

/** The pixel rows and columns of `box` (CSS px = image px at scale factor 1), a pixel in from edges that antialiasing blurs. */
function pixelsOf(image: Image, box: Box): { xs: number[]; ys: number[] } {
  const inset = box.width > 4 ? 1 : 0;
  const range = (from: number, to: number, max: number) => {
    const out: number[] = [];
    for (let v = Math.max(0, Math.round(from) + inset); v < Math.min(max, Math.round(to) - inset); v++) out.push(v);
    return out;
  };
  return { xs: range(box.x, box.x + box.width, image.width), ys: range(box.y, box.y + box.height, image.height) };
}

/** The share of the pixels of `box` in `colour`. */
function shareOf(image: Image, box: Box, colour: number[]): number {
  const { xs, ys } = pixelsOf(image, box);
  let n = 0;
  for (const y of ys) for (const x of xs) if (isColour(image, x, y, colour)) n++;
  return n / Math.max(1, xs.length * ys.length);
}

/** Columns of `box` painted in `colour` over half their height or more: a shaded span looks like that, a line never does. */
function columnsIn(image: Image, box: Box, colour: number[]): number {
  const { xs, ys } = pixelsOf(image, box);
  return xs.filter(x => ys.filter(y => isColour(image, x, y, colour)).length >= ys.length / 2).length;
}

function grown(box: Box, by: number): Box {
  return { x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** Pixels of `box` in `colour`. */
function countOf(image: Image, box: Box, colour: number[]): number {
  const { xs, ys } = pixelsOf(image, box);
  let n = 0;
  for (const y of ys) for (const x of xs) if (isColour(image, x, y, colour)) n++;
  return n;
}

run().then(code => { process.exitCode = code; }, e => {
  process.stderr.write(`check-report-in-browser: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 2;
});
