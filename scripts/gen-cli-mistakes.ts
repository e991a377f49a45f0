/**
 * Regenerates the "Common aws-auth mistakes" section of docs/cli.md from the
 * corpus in test/fixtures/aws-auth-wild/: `npx tsx scripts/gen-cli-mistakes.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { CLI_DOC, renderPage } from './cli-mistakes.js';

const page = readFileSync(CLI_DOC, 'utf8');
const next = await renderPage();
if (next !== page) writeFileSync(CLI_DOC, next);
process.stdout.write(next === page ? 'docs/cli.md is up to date\n' : 'docs/cli.md updated\n');
