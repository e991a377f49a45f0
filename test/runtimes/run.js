/**
 * Entry for Node, Deno and Bun: import the installed package, run the
 * conformance, print one `CONFORMANCE <json>` line; a failure rejects, which
 * every runtime turns into a non-zero exit.
 */
import * as lib from 'eks-iam-auth';
import { runConformance } from './conformance.js';
import data from './vectors.js';

const report = await runConformance(lib, data);
console.log(`CONFORMANCE ${JSON.stringify(report)}`);
if (!report.ok) throw new Error('conformance failed');
