/* global Response */
/**
 * Entry for workerd (bundled by esbuild or wrangler): each request runs the
 * conformance and answers its report as JSON.
 */
import * as lib from 'eks-iam-auth';
import { runConformance } from './conformance.js';
import data from './vectors.js';

export default {
  async fetch() {
    // A bundle: the XML parser is not in it (see conformance.js).
    const report = await runConformance(lib, { ...data, bundled: true });
    return new Response(JSON.stringify(report), {
      status: report.ok ? 200 : 500,
      headers: { 'content-type': 'application/json' },
    });
  },
};
