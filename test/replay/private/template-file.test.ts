import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { notATemplate, readTemplateFile } from '../../../src/replay/private/template-file';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-file-'));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

test('reads a template (a BOM is allowed)', () => {
  expect(readTemplateFile(file('ok.json', '\uFEFF{"Resources": {"A": {"Type": "AWS::SNS::Topic"}}}'), '`path`'))
    .toEqual({ Resources: { A: { Type: 'AWS::SNS::Topic' } } });
});

test.each<[string, () => unknown, RegExp]>([
  ['no path', () => readTemplateFile(undefined, '`path`'), /^`path` must be the path of a template file \(cdk.out\/<stack>.template.json\), got undefined$/],
  ['a number', () => readTemplateFile(42, '--template'), /^--template must be the path of a template file .*, got number 42$/],
  ['a missing file', () => readTemplateFile(path.join(dir, 'nope.json'), '`path`'), /^`path` '.*nope.json' cannot be read: no such file; give a template cdk synth wrote/],
  ['a directory', () => readTemplateFile(dir, '`path`'), /^`path` '.*' cannot be read: a directory, not a file;/],
  ['not JSON', () => readTemplateFile(file('broken.json', '{ "Resources": '), '`path`'), /^`path` '.*broken.json' is not JSON \(.*\); give a template/],
  ['a JSON array', () => readTemplateFile(file('array.json', '[]'), '`path`'), /^`path` '.*array.json' is not a CloudFormation template: expected a JSON object with Resources, got an array of 0$/],
])('%s: a clear error naming the file', (_, read, message) => {
  expect(read).toThrow(message);
});

test('notATemplate: Resources must be an object of objects; no Resources is allowed (nothing to replay is said later)', () => {
  expect(notATemplate({})).toBeUndefined();
  expect(notATemplate({ Resources: 'x' })).toBe("Resources must be an object of resources, got string 'x'");
  expect(notATemplate({ Resources: { A: null } })).toBe('Resources.A must be an object ({"Type": …, "Properties": …}), got null');
  expect(notATemplate(null)).toBe('expected a JSON object with Resources, got null');
});
