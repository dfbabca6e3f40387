// The headless runner as a user runs it (`npm run sim -- FILE`): a real child process, real exit
// codes, real stdout and stderr (SCENARIO-FORMAT.md "The runner"). Spawning tsx's CLI with this
// Node binary skips npm and npx, and the cases run concurrently, so the file stays fast.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../src/sim/types';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX_CLI = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const LESSON = 'src/scenarios/rotation-client-first.json';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function sim(args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, 'scripts/sim.ts', ...args], { cwd: ROOT, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Exit 2, nothing on stdout, and exactly one line on stderr without a stack trace. */
function expectOneLineError(run: Run, text: string): void {
  expect(run.status, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toContain('    at ');
  expect(run.stderr).toContain(text);
}

function scenarioText(steps: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: 'tokenscope/1', ...extra, steps });
}

describe.concurrent('npm run sim', () => {
  it('runs a scenario file and prints its outcome; --preset swaps the configuration', async () => {
    const [asWritten, asStatic] = await Promise.all([sim([LESSON]), sim([LESSON, '--preset', 'static-refresh'])]);
    expect(asWritten.status, asWritten.stderr).toBe(0);
    expect(asWritten.stderr).toBe('');
    const outcome = JSON.parse(asWritten.stdout) as Outcome;
    expect(outcome.format).toBe('tokenscope-outcome/1');
    expect(outcome.end).toBe(20 * 60);
    // The attacker presents a refresh token the app already used: with rotation, that is reuse.
    const attackerRefresh = (o: Outcome) => o.steps.find((s) => s.do === 'attacker.refresh');
    expect(attackerRefresh(outcome)).toMatchObject({ ok: false, status: 400, reason: 'reused' });

    expect(asStatic.status, asStatic.stderr).toBe(0);
    const staticOutcome = JSON.parse(asStatic.stdout) as Outcome;
    // A static refresh token is never consumed, so the same stolen token simply works.
    expect(attackerRefresh(staticOutcome)).toMatchObject({ ok: true, status: 200, reason: null });
    expect(staticOutcome.metrics).not.toEqual(outcome.metrics);
  });

  it('reads the scenario from standard input with -', async () => {
    const run = await sim(
      ['-'],
      scenarioText([
        { at: '0s', do: 'client.login' },
        { at: '5m', do: 'client.callApi' },
      ]),
    );
    expect(run.status, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout) as Outcome;
    expect(outcome.format).toBe('tokenscope-outcome/1');
    expect(outcome.steps.map((s) => [s.at, s.do, s.ok, s.reason])).toEqual([
      [0, 'client.login', true, null],
      [300, 'client.callApi', false, 'expired'],
    ]);
  });

  it('names the step of an unknown action', async () => {
    const run = await sim(
      ['-'],
      scenarioText([
        { at: '0s', do: 'client.login' },
        { at: '1m', do: 'client.fly' },
      ]),
    );
    expectOneLineError(run, 'steps[1].do: unknown action "client.fly"');
  });

  it('rejects a bad duration', async () => {
    const run = await sim(['-'], scenarioText([{ at: '5 min', do: 'client.login' }]));
    expectOneLineError(run, 'steps[0].at: bad duration "5 min"');
  });

  it('rejects an unknown preset in the file', async () => {
    const run = await sim(['-'], scenarioText([], { config: { preset: 'rotating' } }));
    expectOneLineError(run, 'config.preset: unknown preset "rotating"');
  });

  it('SEMANTICS.md §10 configuration errors: exit 2, one line naming the field', async () => {
    const runs = await Promise.all(
      [
        { client: { storesPassword: true } },
        { login: 'password-grant', pkce: true },
        { login: 'password-grant', authServer: { signInSession: { idleTtl: '1h', absoluteTtl: '8h' } } },
        { authServer: { signInSession: { idleTtl: '1h' } } },
        { client: { type: 'public', tokenStorage: 'bff' } },
      ].map((config) => sim(['-'], scenarioText([], { config }))),
    );
    expectOneLineError(runs[0]!, 'config.client.storesPassword: ');
    expectOneLineError(runs[1]!, 'config.pkce: ');
    expectOneLineError(runs[2]!, 'config.authServer.signInSession: ');
    expectOneLineError(runs[3]!, 'config.authServer.signInSession: missing field "absoluteTtl"');
    expectOneLineError(runs[4]!, 'config.client.type: ');
    const logs = await sim(['-'], scenarioText([{ at: 0, do: 'attacker.steal', what: 'both', from: 'api-logs' }]));
    expectOneLineError(logs, 'steps[0].what: ');
  });

  it('runs the bff preset and the new actions, with the added measures', async () => {
    const steps = [
      { at: 0, do: 'attacker.interceptCode' },
      { at: '1m', do: 'client.login' },
      { at: '2m', do: 'client.login' },
      { at: '3m', do: 'attacker.steal', what: 'all' },
      { at: '3m', do: 'attacker.hijackPage' },
      { at: '4m', do: 'attacker.silentLogin' },
    ];
    const run = await sim(['-', '--preset', 'bff'], scenarioText(steps));
    expect(run.status, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout) as Outcome;
    expect(outcome.steps.map((s) => [s.do, s.ok, s.status, s.reason])).toEqual([
      ['attacker.interceptCode', true, null, null],
      ['client.login', false, null, 'no_code'],
      ['client.login', true, 200, null],
      ['attacker.steal', false, null, 'nothing_to_steal'],
      ['attacker.hijackPage', true, null, null],
      ['attacker.silentLogin', false, 400, 'login_required'],
    ]);
    expect(Object.keys(outcome.metrics.user)).toEqual(['passwordPrompts', 'silentSignIns', 'apiCallsOk', 'apiCallsRejected']);
    expect(Object.keys(outcome.metrics.authServer)).toEqual(['tokenRequests', 'stateLookups', 'signInRequests']);
    expect(outcome.metrics.authServer.signInRequests).toBe(3);
  });

  it('rejects an unknown --preset', async () => {
    const run = await sim([LESSON, '--preset', 'nope']);
    expectOneLineError(run, '--preset: unknown preset "nope"');
  });

  it('reports a missing file', async () => {
    const run = await sim(['src/scenarios/no-such-lesson.json']);
    expectOneLineError(run, 'src/scenarios/no-such-lesson.json: cannot read (no such file)');
  });

  it('reports invalid JSON', async () => {
    const run = await sim(['-'], '{"format": "tokenscope/1", steps: []}');
    expectOneLineError(run, '(file): not valid JSON');
  });

  it('escapes control characters in its error line: a binary file prints no NUL byte', async () => {
    const run = await sim(['-'], '\u0000\u0001{"\u0000\u001b[31m\r\nPNG');
    expectOneLineError(run, '(file): not valid JSON');
    expect(run.stderr).toContain('\\u0000');
    // eslint-disable-next-line no-control-regex
    expect(run.stderr.trimEnd()).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('stops a run that reaches its budget: exit 2, one line, nothing printed; --max-events raises it', async () => {
    // Twenty calls without a token: four events each, no signature.
    const calls = scenarioText([{ at: '0s', do: 'client.callApi', repeat: { every: '1s', times: 20 } }]);
    const everySecond = scenarioText([{ at: '0s', do: 'user.arrive' }], { behaviour: { user: { callApiEvery: '1s' } }, until: '1m' });
    // DPoP: every call signs a proof and has it checked, two signatures.
    const dpopEverySecond = scenarioText([{ at: '0s', do: 'user.arrive' }], {
      config: { preset: 'dpop-bound' },
      behaviour: { user: { callApiEvery: '1s' } },
      until: '1m',
    });
    const [events, signatures, raised] = await Promise.all([
      sim(['-', '--max-events', '50'], calls),
      sim(['-', '--max-events', '100'], dpopEverySecond),
      sim(['-', '--max-events=100000'], everySecond),
    ]);
    expectOneLineError(events, '(run): stopped at 12s, nothing printed: it reached its budget of 50 events (raise it with --max-events N)');
    expectOneLineError(
      signatures,
      '(run): stopped at 7s, nothing printed: it reached its budget of 20 signatures made or checked (raise it with --max-events N)',
    );
    expect(raised.status, raised.stderr).toBe(0);
    expect((JSON.parse(raised.stdout) as Outcome).metrics.user.apiCallsOk).toBe(61);
  });

  it('refuses before running what is known to be over the budget: step occurrences, a span past 100 years', async () => {
    const many = scenarioText([{ at: '0s', do: 'client.callApi', repeat: { every: '1s', times: 30 } }]);
    const [occurrences, span, badFlag] = await Promise.all([
      sim(['-', '--max-events', '50'], many),
      sim(['-'], scenarioText([], { until: '36501d' })),
      sim(['-', '--max-events', '1e9'], many),
    ]);
    expectOneLineError(
      occurrences,
      'steps: 30 step occurrences record over 50 events, the budget of one run (raise it with --max-events N)',
    );
    expectOneLineError(span, 'until: 36501d is past the longest run, 100 years (36500d)');
    expectOneLineError(badFlag, '--max-events: expected a whole number ≥ 1, got "1e9"');
  });
});
