#!/usr/bin/env node
/**
 * `eks-iam-auth`: the command-line tool. A kubectl exec credential plugin
 * (`token`), a token checker (`verify`) and an `aws-auth` tester (`map`,
 * `lint`).
 *
 * kubectl runs `token` before every command that lacks a fresh token, so
 * startup time is user-visible: this file imports nothing but the one
 * command module it dispatches to (`token` is built as one file).
 *
 * @module
 */
import module from 'node:module';

// Node 22.1+ can keep the compiled code of the modules loaded next (the
// command) in its on-disk compile cache between runs; kubectl starts this
// process over and over. Elsewhere (Node 20) there is no such function.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

/** A command module: its usage text and its entry point. */
interface Command {
  USAGE: string;
  run(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  token: {
    summary: 'print a kubectl ExecCredential with a token for an EKS cluster',
    load: () => import('./token.js'),
  },
  verify: {
    summary: 'verify a token against STS and print the identity',
    load: () => import('./verify.js'),
  },
  map: {
    summary: 'map an IAM ARN through an aws-auth ConfigMap',
    load: () => import('./map.js'),
  },
  lint: {
    summary: 'check an aws-auth ConfigMap or access entries for mistakes',
    load: () => import('./lint.js'),
  },
  migrate: {
    summary: 'plan the access entries that replace an aws-auth ConfigMap',
    load: () => import('./migrate.js'),
  },
  'can-i': {
    summary: 'may an IAM identity do this on the cluster (RBAC + access policies)',
    load: () => import('./can-i.js'),
  },
  'who-can': {
    summary: 'which IAM principals may do this on the cluster, and through what',
    load: () => import('./who-can.js'),
  },
};

/**
 * The tool's usage. The exit-status table is loaded only to print it: the
 * way to a command (kubectl's `token`) loads nothing but that command.
 */
async function usage(): Promise<string> {
  const { exitStatusHelp } = await import('./exit-codes.js');
  return `Usage: eks-iam-auth <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(8)}${summary}`)
  .join('\n')}

Options:
  -h, --help     show help (also: eks-iam-auth <command> --help)
  -v, --version  print the version

${exitStatusHelp()}
Each command's --help says what each status means for it.
`;
}

// The tool's own statuses (see exit-codes.ts): 0 help or version shown, 1 a usage error.
const OK = 0;
const USAGE_ERROR = 1;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(await usage());
    return name === undefined ? USAGE_ERROR : OK;
  }
  if (name === '-v' || name === '--version') {
    const { packageVersion } = await import('./version.js');
    process.stdout.write(`eks-iam-auth ${await packageVersion()}\n`);
    return OK;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    // Loaded here only: the escaper is not needed on the way to a command.
    const { escapeControl } = await import('./output.js');
    process.stderr.write(
      `error: unknown ${name.startsWith('-') ? 'option' : 'command'} "${escapeControl(name)}"\n\n${await usage()}`,
    );
    return USAGE_ERROR;
  }
  const module = await command.load();
  return module.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Commands report their own errors; reaching here is a bug, but still no stack by default.
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env['EKS_IAM_AUTH_DEBUG'] && error instanceof Error) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    process.exitCode = 1;
  },
);
