// A Scenario back in file format (for export, share links and the saved session); parseScenario
// (scenario.ts) gives it back. Kept apart from the parser so saving a session never loads valibot.
import { formatDuration } from './duration';
import type { Config, Scenario, Seconds, Step } from './types';

/** The scenario in file format (for export and share links); parseScenario gives it back. */
export function scenarioToJson(scenario: Scenario): unknown {
  const { title, description, goal, until } = scenario;
  return {
    format: scenario.format,
    ...(title !== undefined && { title }),
    ...(description !== undefined && { description }),
    ...(goal !== undefined && { goal }),
    seed: scenario.seed,
    epoch: scenario.epoch,
    config: configToJson(scenario.config),
    behaviour: {
      ...(scenario.behaviour.user && { user: { callApiEvery: formatDuration(scenario.behaviour.user.callApiEvery) } }),
      ...(scenario.behaviour.attacker && {
        attacker: { callApiEvery: formatDuration(scenario.behaviour.attacker.callApiEvery) },
      }),
    },
    steps: scenario.steps.map(stepToJson),
    ...(until !== null && { until: formatDuration(until) }),
  };
}

/** Written in full, so a reader sees every setting without knowing the presets. */
function configToJson(config: Config): unknown {
  const refresh = config.refreshToken;
  const nullable = (seconds: Seconds | null) => (seconds === null ? null : formatDuration(seconds));
  return {
    preset: config.preset,
    accessToken: { ttl: formatDuration(config.accessToken.ttl) },
    refreshToken: refresh && {
      rotation: refresh.rotation,
      reuseDetection: refresh.reuseDetection,
      reuseInterval: formatDuration(refresh.reuseInterval),
      idleTtl: nullable(refresh.idleTtl),
      absoluteTtl: nullable(refresh.absoluteTtl),
    },
    login: config.login,
    // A file may not write pkce with the password grant (SEMANTICS.md §10).
    ...(config.login === 'code-pkce' && { pkce: config.pkce }),
    authServer: {
      signInSession: config.authServer.signInSession && {
        idleTtl: nullable(config.authServer.signInSession.idleTtl),
        absoluteTtl: nullable(config.authServer.signInSession.absoluteTtl),
      },
      revokeGrantsOnPasswordChange: config.authServer.revokeGrantsOnPasswordChange,
    },
    client: { type: config.client.type, storesPassword: config.client.storesPassword, tokenStorage: config.client.tokenStorage },
    resourceServer: {
      validation: config.resourceServer.validation,
      leeway: formatDuration(config.resourceServer.leeway),
    },
    senderConstraint: config.senderConstraint,
  };
}

function stepToJson(step: Step): unknown {
  const { at, repeat, lesson, ...action } = step;
  return {
    at: formatDuration(at),
    ...action,
    ...(repeat && { repeat: { every: formatDuration(repeat.every), times: repeat.times } }),
    ...(lesson && { lesson: structuredClone(lesson) }),
  };
}
