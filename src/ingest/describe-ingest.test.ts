// The ingest report's registry line: a name two people carry is said, with what it means for lines by it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeIngest, type IngestSummary } from './ingest.js';

const summary = (sharedNames: number): IngestSummary => ({
  runId: 'ingest_1',
  seasons: [],
  registry: { players: 711, byNameSource: {}, aliasesBySource: {}, ambiguousLookups: 0, sharedNames },
  phase3: { games: 0, playerGames: 0, teamGames: 0, playerContexts: 0, teamContexts: 0, unresolvedPlayers: 0 },
  unresolvedOddsTeams: 0,
  unresolvedPropNames: 0,
  pendingRegistryFailures: 1,
  orphansRemoved: [],
  durationMs: 1000,
});

describe('describeIngest: the registry line', () => {
  it('is unchanged when no two people share a name', () => {
    assert.match(describeIngest(summary(0)), /^ {2}registry: 711 players, 0 ambiguous lookups$/m);
  });
  it('says how many names two or more people carry, and what to do', () => {
    assert.match(
      describeIngest(summary(1)),
      /^ {2}registry: 711 players, 0 ambiguous lookups; 1 name\(s\) carried by two or more people \(the later ones' lookup ends in their person id; sportsbook lines by such a name stay unresolved until `registry alias` says whom it means\)$/m,
    );
  });
});
