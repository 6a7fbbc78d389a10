// Audit round: configuration mistakes are named, not silently ignored; CSV output escapes its header.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatRows } from '../cli/format.js';
import { loadConfig } from './config.js';

function withFile(content: unknown): string {
  const cwd = mkdtempSync(`${tmpdir()}/courtside-cfg-audit-`);
  writeFileSync(join(cwd, 'courtside.config.json'), JSON.stringify(content));
  return cwd;
}

const usage = (pattern: RegExp) => (e: Error & { exitCode?: number }) => e.exitCode === 2 && pattern.test(e.message);

describe('config thresholds', () => {
  it('accepts the documented overrides', () => {
    const c = loadConfig({ cwd: withFile({ thresholds: { psza: { min_games: 10 }, tdza: { min_games: 15 } } }), env: {} });
    assert.deepEqual(c.thresholds, { psza: { min_games: 10 }, tdza: { min_games: 15 }, pdc: { psza_min_games: 10 }, pcf: { psza_min_games: 10, tdza_min_games: 15 } });
  });
  it('refuses a threshold name the processor does not have (a typo would be silently ignored)', () => {
    assert.throws(() => loadConfig({ cwd: withFile({ thresholds: { psza: { min_gams: 5 } } }), env: {} }), usage(/thresholds\.psza\.min_gams.*min_games/));
  });
  it('refuses a value that is not a whole number of games, rows or days', () => {
    assert.throws(() => loadConfig({ cwd: withFile({ thresholds: { tdza: { league_window_days: 2.5 } } }), env: {} }), usage(/thresholds\.tdza\.league_window_days/));
    assert.throws(() => loadConfig({ cwd: withFile({ thresholds: { psza: { min_games: -1 } } }), env: {} }), usage(/thresholds\.psza\.min_games/));
  });
  it("carries an override to the thresholds other processors take from it (pdc's and pcf's psza_min_games follow psza.min_games)", () => {
    const c = loadConfig({ cwd: withFile({ thresholds: { psza: { min_games: 8 }, tdza: { min_games: 12 }, pdc: { min_games: 4 }, pcf: { psza_min_games: 9 } } }), env: {} });
    assert.deepEqual(c.thresholds, {
      psza: { min_games: 8 },
      tdza: { min_games: 12 },
      pdc: { min_games: 4, psza_min_games: 8 },
      pcf: { psza_min_games: 9, tdza_min_games: 12 }, // an explicit value wins
      mlfs: { pdc_min_games: 4 },
    });
  });
  it('refuses an unknown processor key', () => {
    assert.throws(() => loadConfig({ cwd: withFile({ thresholds: { pzsa: { min_games: 5 } } }), env: {} }), usage(/thresholds\.pzsa.*psza/));
  });
});

describe('rate-limit variables', () => {
  it('are validated like the config file (window > 0, a whole number of messages)', () => {
    const cwd = mkdtempSync(`${tmpdir()}/courtside-cfg-audit-`);
    assert.throws(() => loadConfig({ cwd, env: { COURTSIDE_NOTIFY_WINDOW_MINUTES: '0' } }), usage(/COURTSIDE_NOTIFY_WINDOW_MINUTES/));
    assert.throws(() => loadConfig({ cwd, env: { COURTSIDE_NOTIFY_MAX_PER_WINDOW: '1.5' } }), usage(/COURTSIDE_NOTIFY_MAX_PER_WINDOW/));
    assert.throws(() => loadConfig({ cwd: withFile({ notifications: { rateLimit: { windowMinutes: 0 } } }), env: {} }), usage(/windowMinutes/));
    assert.equal(loadConfig({ cwd, env: { COURTSIDE_NOTIFY_MAX_PER_WINDOW: '0' } }).rateLimit.maxPerWindow, 0);
  });
});

describe('--format csv', () => {
  it('escapes the header like the cells (a column name with a comma or a quote)', () => {
    const out = formatRows([{ 'a,b': 1, 'say "hi"': 'x,y' }], 'csv');
    assert.equal(out, '"a,b","say ""hi"""\n1,"x,y"');
  });
});

describe('notification URLs', () => {
  it('a webhook or SMTP URL without its scheme is a usage error at start (not a failed send after the run), and the message keeps the secret out', () => {
    const cwd = mkdtempSync(`${tmpdir()}/courtside-cfg-audit-`);
    const refused = (env: NodeJS.ProcessEnv, name: RegExp) =>
      assert.throws(() => loadConfig({ cwd, env }), (e: Error & { exitCode?: number }) => e.exitCode === 2 && name.test(e.message) && !/SECRET/.test(e.message));
    refused({ COURTSIDE_SLACK_WEBHOOK_URL: 'hooks.slack.com/services/T0/B0/SECRET' }, /COURTSIDE_SLACK_WEBHOOK_URL/);
    refused({ COURTSIDE_SLACK_WEBHOOK_URL: 'ftp://hooks.slack.com/services/T0/B0/SECRET' }, /COURTSIDE_SLACK_WEBHOOK_URL/);
    refused({ COURTSIDE_SMTP_URL: 'mail.example.com:587?pass=SECRET', COURTSIDE_SMTP_TO: 'a@b.c' }, /COURTSIDE_SMTP_URL/);
    refused({ COURTSIDE_SMTP_URL: 'https://u:SECRET@mail.example.com', COURTSIDE_SMTP_TO: 'a@b.c' }, /COURTSIDE_SMTP_URL/);
    assert.equal(loadConfig({ cwd, env: { COURTSIDE_SMTP_URL: 'smtps://u:SECRET@mail.example.com:465', COURTSIDE_SMTP_TO: 'a@b.c' } }).smtp?.url, 'smtps://u:SECRET@mail.example.com:465');
    assert.equal(loadConfig({ cwd, env: { COURTSIDE_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/SECRET' } }).slackWebhookUrl, 'https://hooks.slack.com/services/T0/B0/SECRET');
  });
});

// Round 7: an empty variable (`COURTSIDE_SLACK_WEBHOOK_URL=`) overrode the file's value with
// "empty", silently switching off Slack or e-mail set in the file, while an empty numeric variable
// was unset. One rule now: empty = unset, for every variable.
describe('an empty environment variable is unset', () => {
  const file = {
    notifications: {
      slackWebhookUrl: 'https://hooks.slack.com/services/T0/B0/FILE',
      smtp: { url: 'smtp://mail.example.com:587', from: 'file@example.com', to: ['ops@example.com'] },
      rateLimit: { maxPerWindow: 7, windowMinutes: 30 },
      timeoutSeconds: 9,
    },
  };
  const empty = {
    COURTSIDE_SLACK_WEBHOOK_URL: '',
    COURTSIDE_SMTP_URL: '',
    COURTSIDE_SMTP_FROM: '',
    COURTSIDE_SMTP_TO: '',
    COURTSIDE_NOTIFY_MAX_PER_WINDOW: '',
    COURTSIDE_NOTIFY_WINDOW_MINUTES: '',
    COURTSIDE_NOTIFY_TIMEOUT_SECONDS: '',
    COURTSIDE_CONFIG: '',
  };
  it('keeps every value of the config file (Slack, SMTP url/from/to, the numbers)', () => {
    const cwd = withFile(file);
    const c = loadConfig({ cwd, env: empty });
    assert.equal(c.slackWebhookUrl, 'https://hooks.slack.com/services/T0/B0/FILE');
    assert.deepEqual(c.smtp, { url: 'smtp://mail.example.com:587', from: 'file@example.com', to: ['ops@example.com'] });
    assert.deepEqual([c.rateLimit.maxPerWindow, c.rateLimit.windowMs, c.notifyTimeoutMs], [7, 30 * 60_000, 9000]);
    assert.deepEqual(c, loadConfig({ cwd, env: {} }), 'empty variables = no variables');
  });
  it('falls back to the defaults without a file, and a set variable still wins', () => {
    const cwd = mkdtempSync(`${tmpdir()}/courtside-cfg-empty-`);
    const c = loadConfig({ cwd, env: empty });
    assert.deepEqual([c.slackWebhookUrl, c.smtp], [undefined, undefined]);
    assert.equal(loadConfig({ cwd: withFile(file), env: { ...empty, COURTSIDE_SMTP_TO: 'env@example.com' } }).smtp?.to.join(), 'env@example.com');
    assert.equal(loadConfig({ cwd: withFile(file), env: { ...empty, COURTSIDE_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/ENV' } }).slackWebhookUrl, 'https://hooks.slack.com/services/T0/B0/ENV');
  });
});
