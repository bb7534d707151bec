// The curated bad project files (test/fixtures/bad-projects): each is refused by `validate` with
// exactly the sentence expected.json gives it, and no message quotes what the file holds.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './cli';

const DIR = fileURLToPath(new URL('../../test/fixtures/bad-projects', import.meta.url));
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, string>;

async function validate(file: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const code = await main(['validate', file], {
    stdout: (line: string) => void (out.stdout += line),
    stderr: (line: string) => void (out.stderr += line),
  });
  return { code, ...out };
}

describe('curated bad project files', () => {
  it('are at least 50, and every one has its expected message', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.json') && f !== 'expected.json');
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, message] of Object.entries(expected)) {
    it(`${name}: ${message.replace('{file}', name).slice(0, 120)}`, async () => {
      const file = join(DIR, name);
      const r = await validate(file);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(message.replace('{file}', file));
    });
  }

  it('never quote a file that is not a project', async () => {
    for (const [name, secret] of [
      ['passwd-like.json', /root|daemon|nologin/],
      ['shell-script.json', /echo|\$\(id\)/],
      ['binary-bytes.json', /PK/],
      ['format-long-text.json', /xxxxxxxx/],
    ] as const) {
      const r = await validate(join(DIR, name));
      expect(r.stderr.replace(join(DIR, name), '')).not.toMatch(secret);
    }
  });
});
