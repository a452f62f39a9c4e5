import { CONTRACT_VERSION } from '@ferry/core';
import type { ConnectorPackage } from './plugins-manifest.js';

/**
 * What a connector's `type` must look like: lowercase words of letters and digits joined by `-`
 * (`acme-crm`, `s3`). The conformance kit checks connectors against the same rule, and `ferry new
 * connector` names packages by it.
 */
export const CONNECTOR_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** How to write a valid connector type, for messages about one that is not. */
export const CONNECTOR_TYPE_RULE =
  'use lowercase letters and digits, starting with a letter, words joined by "-" (e.g. acme-crm)';

/** What a connector package declares, once checked: usable, or the reason it is not. */
export type Declaration =
  | { readonly ok: true; readonly type: string; readonly entry: string }
  | { readonly ok: false; readonly problem: string };

/**
 * Checks what `pkg` declares in its package.json: contract version, short type, main export. A
 * problem is the end of a sentence about the package. Known without importing the package, so it
 * is told before any of its code runs, and lists of what is available need not run it.
 */
export function checkDeclaration(pkg: ConnectorPackage): Declaration {
  const problem = (text: string): Declaration => ({ ok: false, problem: text });
  if (pkg.contract !== CONTRACT_VERSION) return problem(contractText(pkg));
  if (pkg.type === undefined) {
    return problem(
      'declares no connector type in its package.json ("ferry": {"type": "<short name>"})',
    );
  }
  if (!CONNECTOR_TYPE.test(pkg.type)) {
    return problem(
      `declares type ${JSON.stringify(pkg.type)}, which is not a valid connector type: ${CONNECTOR_TYPE_RULE}`,
    );
  }
  if (pkg.entry === undefined) {
    return problem('has no main export for import() in its package.json ("exports")');
  }
  return { ok: true, type: pkg.type, entry: pkg.entry };
}

function contractText(pkg: ConnectorPackage): string {
  const declared = pkg.contract;
  const supported = `this ferry supports contract ${CONTRACT_VERSION}`;
  if (declared === undefined) {
    return `declares no connector contract in its package.json ("ferry": {"contract": N}); ${supported}`;
  }
  if (typeof declared !== 'number') {
    return `declares connector contract ${JSON.stringify(declared)}, which is not a version number; ${supported}`;
  }
  const upgrade = declared > CONTRACT_VERSION ? ', or a newer ferry' : '';
  return `was built for connector contract ${declared}; ${supported} (install a version of ${pkg.name} built for it${upgrade})`;
}
