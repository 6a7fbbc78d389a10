// The README's command table and each command's --help say what the code accepts: an operator who
// reads only them must find every command and every flag, and the processor lists must be whole.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { Command } from 'commander';
import { PROCESSORS } from '../processors/index.js';
import { buildProgram } from './main.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Every command as its user types it (`registry alias`), with its long flags. */
function commands(): { name: string; flags: string[]; command: Command }[] {
  const out: { name: string; flags: string[]; command: Command }[] = [];
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`;
      if (sub.commands.length > 0) walk(sub, `${name} `);
      else out.push({ name, flags: sub.options.map((o) => o.long as string).filter((l) => l !== '--help'), command: sub });
    }
  };
  walk(buildProgram(), '');
  return out;
}

/** The `## Commands` table: each backticked form in a row's first cell, by the command it starts with. */
function documentedForms(): Map<string, string> {
  const section = README.slice(README.indexOf('## Commands'), README.indexOf('### Reading and writing the warehouse'));
  const forms = new Map<string, string>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const cell = line.split(' | ')[0] ?? '';
    for (const [, form] of cell.matchAll(/`([^`]+)`/g)) {
      const words = (form as string).split(' ');
      const name = words[0] === 'registry' ? `registry ${words[1]}` : (words[0] as string);
      forms.set(name, `${forms.get(name) ?? ''} ${form}`);
    }
  }
  return forms;
}

describe('README and --help against the code', () => {
  test("every command is in the README's command table, with every flag it takes", () => {
    const forms = documentedForms();
    const missing: string[] = [];
    for (const c of commands()) {
      const form = forms.get(c.name);
      if (form === undefined) {
        missing.push(c.name);
        continue;
      }
      for (const flag of c.flags) if (!new RegExp(`${flag}(?![a-z-])`).test(form)) missing.push(`${c.name} ${flag}`);
    }
    assert.deepEqual(missing, []);
  });

  test('the global options are all named where the README introduces the commands', () => {
    const intro = README.slice(README.indexOf('## Commands'), README.indexOf('| command | does |'));
    const missing = buildProgram().options.map((o) => o.long as string).filter((l) => !intro.includes(`\`${l}`));
    assert.deepEqual(missing, []);
  });

  test('a flag that takes processors lists every processor in its help', () => {
    const keys = PROCESSORS.map((p) => p.key);
    const incomplete: string[] = [];
    for (const c of commands()) {
      for (const o of c.command.options) {
        if (!/^--processors?$/.test(o.long as string)) continue;
        const absent = keys.filter((k) => !new RegExp(`\\b${k}\\b`).test(o.description));
        if (absent.length > 0) incomplete.push(`${c.name} ${o.long}: no ${absent.join(', ')}`);
      }
    }
    assert.deepEqual(incomplete, []);
  });
});
