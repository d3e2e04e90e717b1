/**
 * Builds the single executable (`bun build --compile`) and the Node.js bundle.
 *
 * ```sh
 * npm run build            # build/mesos-dns, build/mesos-dns.sha256, build/mesos-dns.mjs
 * npm run build:release    # build/release/mesos-dns-<os>-<arch>[-musl], mesos-dns.mjs, SHA256SUMS
 * ```
 *
 * The version is stamped through the compile-time define `MESOS_DNS_VERSION`
 * (see `src/version.ts`): package.json's version, plus `+<git describe --always --dirty>`
 * when git is available and the checkout is not exactly at the `v<version>` tag.
 *
 * Cross-compiling fetches the Bun runtime of each target from the npm registry once
 * (cached under `~/.bun/install/cache`); building for the host needs no network.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { buildNodeBundle } from "./build-node.ts";

const root = join(import.meta.dir, "..");

/** The release targets, as Bun names them. */
export const RELEASE_TARGETS = [
  "bun-linux-x64",
  "bun-linux-arm64",
  "bun-linux-x64-musl",
  "bun-linux-arm64-musl",
  "bun-darwin-arm64",
] as const satisfies readonly Bun.Build.CompileTarget[];

export type ReleaseTarget = (typeof RELEASE_TARGETS)[number];

/** `bun-linux-arm64-musl` -> `mesos-dns-linux-arm64-musl`. */
export function releaseFileName(target: ReleaseTarget): string {
  return `mesos-dns-${target.slice("bun-".length)}`;
}

/**
 * The version to stamp: package.json's, with git's description as semver build metadata
 * (`0.1.0+32a9faa-dirty`) unless the checkout sits exactly on the tag `v0.1.0`.
 */
export function buildVersion(dir = root): string {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown };
  if (typeof pkg.version !== "string")
    throw new Error(`${join(dir, "package.json")}: key "version" is missing`);
  const git = spawnSync("git", ["describe", "--always", "--dirty"], { cwd: dir, encoding: "utf8" });
  const described = git.status === 0 ? git.stdout.trim() : "";
  if (described === "" || described === `v${pkg.version}` || described === pkg.version) return pkg.version;
  return `${pkg.version}+${described}`;
}

export interface CompileOptions {
  /** Where the executable goes. */
  readonly outfile: string;
  readonly version: string;
  /** A Bun compile target; the host platform when absent. */
  readonly target?: Bun.Build.CompileTarget;
}

/** Compiles `src/bin.ts` into one self-contained executable and returns its path. */
export async function compileExecutable(options: CompileOptions): Promise<string> {
  const result = await Bun.build({
    entrypoints: [join(root, "src", "bin.ts")],
    compile: {
      outfile: options.outfile,
      ...(options.target ? { target: options.target } : {}),
      // The executable is a server started by systemd or Marathon: a stray .env or
      // bunfig.toml in its working directory must not change how it behaves.
      autoloadDotenv: false,
      autoloadBunfig: false,
    },
    // Precompiled bytecode: the executable skips parsing its ~600 kB of JavaScript at every
    // start (measured: `-version` in ~25 ms instead of ~100 ms; scripts/bench/startup.ts).
    bytecode: true,
    format: "esm",
    minify: true,
    sourcemap: "none",
    define: { MESOS_DNS_VERSION: JSON.stringify(options.version) },
  });
  if (!result.success) {
    const target = options.target ?? "the host";
    throw new Error(
      `Cannot compile for ${target} into "${options.outfile}":\n${result.logs.map(String).join("\n")}`,
    );
  }
  return options.outfile;
}

/** The SHA-256 of a file, hex. */
export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** `sha256sum` lines (`<hex>  <name>`) for `files`, named relative to their directory. */
export function sha256sumLines(files: readonly string[]): string {
  return files.map((file) => `${sha256File(file)}  ${basename(file)}\n`).join("");
}

/**
 * Runs `<exe> -version` with an empty environment (no PATH, an empty HOME), as systemd or a
 * minimal container would, and checks that it prints `version`.
 */
export function verifyExecutable(exe: string, version: string): void {
  const home = mkdtempSync(join(tmpdir(), "mesos-dns-home-"));
  try {
    const run = spawnSync(exe, ["-version"], {
      env: { PATH: "/nonexistent", HOME: home },
      encoding: "utf8",
      timeout: 10_000,
    });
    const printed = `${run.stdout ?? ""}`.trim();
    if (run.status !== 0 || printed !== version) {
      throw new Error(
        `"${exe} -version" with a clean environment: exit ${run.status}, printed "${printed}", want "${version}"${run.stderr ? `\n${run.stderr}` : ""}`,
      );
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `npm run build`: the host executable with its checksum file, and the Node bundle. */
export async function buildHost(outdir = join(root, "build"), version = buildVersion()): Promise<string[]> {
  mkdirSync(outdir, { recursive: true });
  const exe = await compileExecutable({ outfile: join(outdir, "mesos-dns"), version });
  verifyExecutable(exe, version);
  writeFileSync(join(outdir, "mesos-dns.sha256"), sha256sumLines([exe]));
  const bundle = await buildNodeBundle(outdir, version);
  return [exe, join(outdir, "mesos-dns.sha256"), bundle];
}

/** `npm run build:release`: every release target, the Node bundle and `SHA256SUMS`. */
export async function buildRelease(
  outdir = join(root, "build", "release"),
  version = buildVersion(),
): Promise<string[]> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const files: string[] = [];
  for (const target of RELEASE_TARGETS) {
    files.push(await compileExecutable({ outfile: join(outdir, releaseFileName(target)), version, target }));
  }
  // The bundle goes beside the build outputs too, where package.json's "bin" points.
  const bundle = await buildNodeBundle(join(root, "build"), version);
  const released = join(outdir, "mesos-dns.mjs");
  copyFileSync(bundle, released);
  files.push(released);
  const host = hostReleaseFile(outdir);
  if (host) verifyExecutable(host, version);
  writeFileSync(join(outdir, "SHA256SUMS"), sha256sumLines(files));
  return [...files, join(outdir, "SHA256SUMS")];
}

/** The release executable this machine can run, if one was built for it. */
function hostReleaseFile(outdir: string): string | undefined {
  const arch = process.arch === "x64" ? "x64" : process.arch === "arm64" ? "arm64" : undefined;
  if (!arch || (process.platform !== "linux" && process.platform !== "darwin")) return undefined;
  const target = `bun-${process.platform}-${arch}`;
  return (RELEASE_TARGETS as readonly string[]).includes(target)
    ? join(outdir, releaseFileName(target as ReleaseTarget))
    : undefined;
}

if (import.meta.main) {
  const release = process.argv.includes("--release");
  const version = buildVersion();
  const started = performance.now();
  try {
    const files = release ? await buildRelease(undefined, version) : await buildHost(undefined, version);
    for (const file of files) console.log(`built ${file}`);
    console.log(`version ${version} in ${Math.round(performance.now() - started)} ms`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
