import * as fs from 'fs';
import { describeValue } from './describe-value';

/**
 * Reads a synthesized template file: every way it can fail names the file and what was wrong
 * (missing, a directory, unreadable, not JSON, JSON that is not a template).
 *
 * @param file the path, as the caller gave it
 * @param label how the caller named it in the error (`` `path` `` for the API, `` `--template` `` for the command line)
 */
export function readTemplateFile(file: unknown, label: string): { Resources?: Record<string, any> } {
  if (typeof file !== 'string' || file === '') {
    throw new Error(`${label} must be the path of a template file (cdk.out/<stack>.template.json), got ${describeValue(file)}`);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'a directory, not a file'
        : code === 'EACCES' ? 'not readable (permission denied)'
          : (e as Error).message;
    throw new Error(`${label} '${file}' cannot be read: ${reason}; give a template cdk synth wrote (cdk.out/<stack>.template.json)`);
  }
  let template: unknown;
  try {
    template = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new Error(`${label} '${file}' is not JSON (${(e as Error).message}); give a template cdk synth wrote (cdk.out/<stack>.template.json)`);
  }
  const problem = notATemplate(template);
  if (problem) {
    throw new Error(`${label} '${file}' is not a CloudFormation template: ${problem}`);
  }
  return template as { Resources?: Record<string, any> };
}

/** Why parsed JSON is not a template (a JSON object whose `Resources`, if any, is an object of objects), or undefined. */
export function notATemplate(template: unknown): string | undefined {
  if (typeof template !== 'object' || template === null || Array.isArray(template)) {
    return `expected a JSON object with Resources, got ${describeValue(template)}`;
  }
  const resources = (template as { Resources?: unknown }).Resources;
  if (resources === undefined) {
    return undefined;
  }
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    return `Resources must be an object of resources, got ${describeValue(resources)}`;
  }
  const bad = Object.entries(resources).find(([, r]) => typeof r !== 'object' || r === null || Array.isArray(r));
  return bad ? `Resources.${bad[0]} must be an object ({"Type": …, "Properties": …}), got ${describeValue(bad[1])}` : undefined;
}
