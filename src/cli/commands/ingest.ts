import type { Command } from 'commander';
export function registerIngest(_program: Command): void {}
