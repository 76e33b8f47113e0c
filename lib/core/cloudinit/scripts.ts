/**
 * The shell scripts and the systemd unit an MM2 node runs, as TypeScript string builders.
 *
 * Every script is bash with `set -euo pipefail`, never `set -x` (no tracing of secret values), and
 * each is extractable on its own (see {@link renderNodeFiles}) so that the contract tests can run
 * `bash -n` and `shellcheck` on it, and the local rehearsal can run put-secret.sh itself.
 * Values interpolated into scripts are validated first and single-quoted with {@link shQuote}.
 */

import { METRICS_BUDGET } from "../telemetry/budget";

/** Single-quotes a string for bash. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export const SERVICE_USER = "mm2";
export const LIBEXEC_DIR = "/usr/local/libexec/mm2";
export const SYSTEMD_UNIT_PATH = "/etc/systemd/system/mm2.service";
export const JAVA_HOME = "/usr/lib/jvm/jre-17";
export const LOG_DIR = "/var/log/mm2";
export const STATE_DIR = "/var/lib/mm2";

export const SCRIPT_NAMES = {
  putSecret: "put-secret.sh",
  fetchSecrets: "fetch-secrets.sh",
  nodeProperties: "node-properties.sh",
  installKafka: "install-kafka.sh",
  provision: "provision.sh",
  fetchVerified: "fetch-verified.sh",
  installTools: "install-tools.sh",
} as const;

export function scriptPath(name: string): string {
  return `${LIBEXEC_DIR}/${name}`;
}

/**
 * put-secret.sh FILE KEY jaas|plain — reads one secret value on stdin and stores `KEY=<value>` in
 * a Java properties file (created 0600), escaped so that Kafka's FileConfigProvider returns the exact
 * value: for `jaas`, `\` and `"` are escaped first (the value lands inside `password="…"` of a JAAS
 * configuration), then `\` again and a leading blank for the properties format. Multi-line or empty
 * values are refused. The value is never an argument of another process, nor printed.
 */
export function putSecretScript(): string {
  return `#!/bin/bash
# put-secret.sh FILE KEY jaas|plain
# Reads one secret value on stdin and stores KEY=VALUE in the Java properties FILE read by Kafka's
# FileConfigProvider, escaped for a JAAS password (jaas) or as a plain value (plain).
# Used at boot by fetch-secrets.sh and by the local rehearsal. Never prints the value.
set -euo pipefail
umask 077

if [ "$#" -ne 3 ]; then
  echo "usage: put-secret.sh FILE KEY jaas|plain" >&2
  exit 2
fi
file=$1
key=$2
mode=$3
case $key in
  '' | *[!A-Za-z0-9._-]*)
    echo "put-secret: invalid key: $key" >&2
    exit 2
    ;;
esac
case $mode in
  jaas | plain) ;;
  *)
    echo "put-secret: mode must be jaas or plain" >&2
    exit 2
    ;;
esac

value=$(cat)
if [ -z "$value" ]; then
  echo "put-secret: the secret for $key is empty" >&2
  exit 1
fi
case $value in
  *$'\\n'* | *$'\\r'*)
    echo "put-secret: the secret for $key spans several lines; store a single-line value" >&2
    exit 1
    ;;
esac
if [ "$mode" = jaas ]; then
  value=$(printf '%s' "$value" | sed -e 's/\\\\/\\\\\\\\/g' -e 's/"/\\\\"/g')
fi
value=$(printf '%s' "$value" | sed -e 's/\\\\/\\\\\\\\/g')
case $value in
  ' '* | $'\\t'*) value="\\\\$value" ;;
esac

tmp=$(mktemp "$file.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [ -f "$file" ]; then
  awk -v prefix="$key=" 'index($0, prefix) != 1' "$file" >"$tmp"
fi
printf '%s=%s\\n' "$key" "$value" >>"$tmp"
mv -f "$tmp" "$file"
trap - EXIT
`;
}

/** A secret to fetch: into the secrets file under `key`, or into its own file at `path`. */
export type FetchItem =
  | {
      readonly kind: "property";
      readonly secretId: string;
      readonly key: string;
      readonly escape: "jaas" | "plain";
    }
  | { readonly kind: "file"; readonly secretId: string; readonly path: string };

/** fetch-secrets.sh's retry budget per secret: attempts, the bound of one Vault call, the wait between. */
export const VAULT_ATTEMPTS = 6;
export const VAULT_CALL_TIMEOUT_SECONDS = 30;
export const VAULT_RETRY_DELAY_SECONDS = 10;
/** provision.sh's package installs: attempts, and the first wait (doubling after each failure). */
export const DNF_ATTEMPTS = 5;
export const DNF_FIRST_DELAY_SECONDS = 15;

/**
 * fetch-secrets.sh — ExecStartPre of mm2.service, run as root ("+" prefix): reads each secret from OCI
 * Vault with the instance principal and writes `<configDir>/secrets.properties` (0600, owner mm2) and
 * the TLS store files, atomically. Retries while a new dynamic-group policy propagates; systemd
 * restarts the unit if it still fails.
 */
export function fetchSecretsScript(configDir: string, items: readonly FetchItem[]): string {
  const props = items.filter((i): i is Extract<FetchItem, { kind: "property" }> => i.kind === "property");
  const files = items.filter((i): i is Extract<FetchItem, { kind: "file" }> => i.kind === "file");
  const lines: string[] = [];
  for (const p of props) {
    lines.push(
      `bundle ${shQuote(p.secretId)} | base64 -d | "$libexec/${SCRIPT_NAMES.putSecret}" "$work/secrets.properties" ${shQuote(p.key)} ${p.escape}`,
    );
  }
  if (files.length > 0) {
    const dirs = [...new Set(files.map((f) => f.path.slice(0, f.path.lastIndexOf("/"))))].sort();
    for (const d of dirs) {
      lines.push(`install -d -o root -g ${SERVICE_USER} -m 0750 ${shQuote(d)}`);
    }
    files.forEach((f, n) => {
      lines.push(
        `bundle ${shQuote(f.secretId)} | base64 -d >"$work/file${n}"`,
        `chown ${SERVICE_USER}:${SERVICE_USER} "$work/file${n}"`,
        `chmod 0600 "$work/file${n}"`,
        `mv -f "$work/file${n}" ${shQuote(f.path)}`,
      );
    });
  }
  return `#!/bin/bash
# fetch-secrets.sh: ExecStartPre of mm2.service, run as root. Reads each secret MM2 needs from OCI
# Vault with this instance's principal and writes them for Kafka's FileConfigProvider
# (${configDir}/secrets.properties, mode 0600, owner ${SERVICE_USER}). Prints no secret value.
set -euo pipefail
umask 077
export OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True

conf=${shQuote(configDir)}
# put-secret.sh sits next to this script (${LIBEXEC_DIR} on the node).
libexec=$(dirname "$(readlink -f "$0")")

# Prints the base64 content of a secret's current version. Retries: a new dynamic group or policy
# can take minutes to apply. Each call is bounded (${VAULT_CALL_TIMEOUT_SECONDS} s), so one secret costs at most
# ${VAULT_ATTEMPTS} x (${VAULT_CALL_TIMEOUT_SECONDS} + ${VAULT_RETRY_DELAY_SECONDS}) s; mm2.service's TimeoutStartSec covers every secret's budget.
bundle() {
  local attempt out
  for attempt in $(seq 1 ${VAULT_ATTEMPTS}); do
    if out=$(timeout ${VAULT_CALL_TIMEOUT_SECONDS} oci secrets secret-bundle get --secret-id "$1" --auth instance_principal \\
      --query 'data."secret-bundle-content".content' --raw-output); then
      printf '%s' "$out"
      return 0
    fi
    echo "fetch-secrets: reading $1 failed (attempt $attempt of ${VAULT_ATTEMPTS}); retrying in ${VAULT_RETRY_DELAY_SECONDS}s" >&2
    sleep ${VAULT_RETRY_DELAY_SECONDS}
  done
  echo "fetch-secrets: cannot read $1; check the dynamic group and the policy that lets it read the secret" >&2
  return 1
}

work=$(mktemp -d "$conf/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
: >"$work/secrets.properties"

${lines.join("\n")}

chown ${SERVICE_USER}:${SERVICE_USER} "$work/secrets.properties"
chmod 0600 "$work/secrets.properties"
mv -f "$work/secrets.properties" "$conf/secrets.properties"
echo "fetch-secrets: ${props.length} secret value(s) and ${files.length} file(s) written" >&2
`;
}

/**
 * node-properties.sh — ExecStartPre (multi-node fleets): writes `<configDir>/node.properties` with
 * this node's private IPv4 address (the source address of its route to the metadata service), which
 * mm2.properties uses as `rest.advertised.host.name` so the nodes can reach each other.
 */
export function nodePropertiesScript(configDir: string): string {
  return `#!/bin/bash
# node-properties.sh: ExecStartPre of mm2.service, run as root. Records this node's private IPv4
# address, advertised to the other MM2 nodes on the internal REST port.
set -euo pipefail
umask 022

conf=${shQuote(configDir)}
ip=$(ip -4 -o route get 169.254.169.254 | awk '{ for (i = 1; i < NF; i++) if ($i == "src") { print $(i + 1); exit } }')
case $ip in
  '' | *[!0-9.]*)
    echo "node-properties: cannot determine this node's private IPv4 address" >&2
    exit 1
    ;;
esac
tmp=$(mktemp "$conf/.node.XXXXXX")
printf 'rest.advertised.host.name=%s\\n' "$ip" >"$tmp"
chmod 0644 "$tmp"
mv -f "$tmp" "$conf/node.properties"
`;
}

/**
 * install-kafka.sh [URL [KAFKA_HOME [SHA512]]] — downloads the Kafka tarball, verifies its SHA-512
 * and installs it (root-owned, read-only for the service). Exits non-zero, loudly, on a mismatch and
 * installs nothing. The arguments exist for tests; the defaults are the pinned release.
 */
export function installKafkaScript(url: string, kafkaHome: string, sha512: string): string {
  return `#!/bin/bash
# install-kafka.sh [URL [KAFKA_HOME [SHA512]]]: downloads Apache Kafka, verifies its SHA-512 and
# installs it. A checksum mismatch fails loudly and installs nothing.
set -euo pipefail
umask 022

url=\${1:-${shQuote(url)}}
home=\${2:-${shQuote(kafkaHome)}}
sha=\${3:-${shQuote(sha512)}}

fail() {
  echo "install-kafka: FATAL: $*" >&2
  logger -p user.crit -t install-kafka "FATAL: $*" || true
  exit 1
}

if [ -x "$home/bin/connect-mirror-maker.sh" ] && [ "$(cat "$home/.sha512" 2>/dev/null || true)" = "$sha" ]; then
  echo "install-kafka: $home already installed and verified" >&2
  exit 0
fi

# Work next to the destination: the final rename then keeps /opt's SELinux context (a move out of
# /tmp would carry tmp_t, which systemd may not execute).
parent=$(dirname "$home")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.kafka-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
curl -fsSL --retry 5 --retry-delay 5 --retry-connrefused -o "$work/kafka.tgz" "$url" ||
  fail "cannot download $url"
actual=$(sha512sum "$work/kafka.tgz" | awk '{ print $1 }')
if [ "$actual" != "$sha" ]; then
  fail "SHA-512 mismatch for $url: expected $sha, got $actual. Refusing to install."
fi
mkdir "$work/kafka"
tar -xzf "$work/kafka.tgz" -C "$work/kafka" --strip-components=1 --no-same-owner ||
  fail "cannot extract $url"
[ -x "$work/kafka/bin/connect-mirror-maker.sh" ] || fail "$url holds no bin/connect-mirror-maker.sh"
printf '%s\\n' "$sha" >"$work/kafka/.sha512"
chmod 0755 "$work/kafka"
rm -rf "$home"
mv "$work/kafka" "$home"
if command -v restorecon >/dev/null 2>&1; then
  restorecon -R "$home" || true
fi
echo "install-kafka: installed $url into $home (SHA-512 verified)" >&2
`;
}

export interface ProvisionOptions {
  readonly configDir: string;
  /** Internal REST port and the CIDR of the MM2 nodes, for multi-node fleets; undefined otherwise. */
  readonly internalRest?: { readonly port: number; readonly peerCidr: string };
  /**
   * Operations (metrics, logs, operator commands): the JMX exporter to fetch (verified) before
   * MirrorMaker starts, and the operator commands' install unit to start after.
   */
  readonly operations?: {
    readonly exporterUrl: string;
    readonly exporterSha256: string;
    readonly exporterPath: string;
  };
}

/**
 * provision.sh — first boot (cloud-init runcmd): Java 17 and the OCI CLI from the Oracle Linux
 * repositories, Kafka (verified), ownership of the configuration, the host firewall (only the
 * internal REST port, only from the MM2 nodes' CIDR, only with several nodes), then mm2.service.
 * Any failure stops here with a FATAL message that cloud-init reports; the service is not started.
 */
export function provisionScript(options: ProvisionOptions): string {
  const rest = options.internalRest;
  const firewall =
    rest === undefined
      ? `# Single node: nothing is opened in the host firewall.`
      : `# Several nodes: open the internal REST port to the MM2 nodes' subnet only.
if systemctl is-active --quiet firewalld; then
  firewall-cmd --permanent --add-rich-rule=${shQuote(
    `rule family="ipv4" source address="${rest.peerCidr}" port port="${rest.port}" protocol="tcp" accept`,
  )} ||
    fail "cannot open port ${rest.port} in firewalld"
  firewall-cmd --reload || fail "cannot reload firewalld"
else
  echo "mm2-provision: firewalld is not running; the NSG alone restricts port ${rest.port}" >&2
fi`;
  return `#!/bin/bash
# provision.sh: first boot of an MM2 node (cloud-init runcmd). Installs Java 17, the OCI CLI and the
# verified Kafka release, then hands mm2.service to systemd. Any failure is FATAL and reported by
# cloud-init (cloud-init status --long; /var/log/cloud-init-output.log).
set -euo pipefail
umask 022

fail() {
  echo "mm2-provision: FATAL: $*" >&2
  logger -p user.crit -t mm2-provision "FATAL: $*" || true
  exit 1
}

conf=${shQuote(options.configDir)}

# Runs a command until it succeeds, ${DNF_ATTEMPTS} attempts with doubling waits (${DNF_FIRST_DELAY_SECONDS} s first): package
# mirrors and the Service Gateway path can fail transiently at first boot. Every failed attempt
# is reported to the journal (journalctl -t mm2-provision).
retry() {
  local attempt delay=${DNF_FIRST_DELAY_SECONDS}
  for attempt in $(seq 1 ${DNF_ATTEMPTS}); do
    "$@" && return 0
    logger -p user.warning -t mm2-provision "attempt $attempt of ${DNF_ATTEMPTS} failed: $*" || true
    echo "mm2-provision: attempt $attempt of ${DNF_ATTEMPTS} failed: $*" >&2
    [ "$attempt" -lt ${DNF_ATTEMPTS} ] && sleep "$delay" && delay=$((delay * 2))
  done
  return 1
}

id ${SERVICE_USER} >/dev/null 2>&1 || fail "service user ${SERVICE_USER} is missing"

retry dnf -y install java-17-openjdk-headless tar xz || fail "cannot install Java 17 (java-17-openjdk-headless)"
[ -x ${JAVA_HOME}/bin/java ] || fail "Java 17 is not at ${JAVA_HOME}"

# OCI CLI from the Oracle Linux developer repository (python36-oci-cli on OL8, python39-oci-cli on OL9).
if ! command -v oci >/dev/null 2>&1; then
  case "$(rpm -E '%{rhel}')" in
    8) retry dnf -y install oraclelinux-developer-release-el8 && retry dnf -y install python36-oci-cli ;;
    9) retry dnf -y install oraclelinux-developer-release-el9 && retry dnf -y install python39-oci-cli ;;
    *) false ;;
  esac || fail "cannot install the OCI CLI (Oracle Linux 8 or 9 expected)"
fi

${LIBEXEC_DIR}/${SCRIPT_NAMES.installKafka} || fail "Kafka was not installed (see above)"
${
  options.operations
    ? `${LIBEXEC_DIR}/${SCRIPT_NAMES.fetchVerified} ${shQuote(options.operations.exporterSha256)} ${shQuote(options.operations.exporterPath)} ${shQuote(options.operations.exporterUrl)} ||
  fail "the JMX exporter was not installed (see above)"
`
    : ""
}
chown root:${SERVICE_USER} "$conf"
chmod 0750 "$conf"
chown ${SERVICE_USER}:${SERVICE_USER} "$conf/mm2.properties"
chmod 0600 "$conf/mm2.properties"

${firewall}

systemctl daemon-reload
systemctl enable mm2.service || fail "cannot enable mm2.service"
# Started without waiting: the unit retries by itself until the secrets and the peers are reachable.
systemctl start --no-block mm2.service || fail "cannot start mm2.service"
${
  options.operations
    ? `# The operator commands and the metrics poster: retried by their unit until the bucket's policy applies.
systemctl enable oci-geo-streaming-install.service || fail "cannot enable oci-geo-streaming-install.service"
systemctl start --no-block oci-geo-streaming-install.service || fail "cannot start oci-geo-streaming-install.service"
`
    : ""
}echo "mm2-provision: done; follow with: journalctl -u mm2 -f" >&2
`;
}

export interface UnitOptions {
  readonly configDir: string;
  readonly kafkaHome: string;
  readonly targetAlias: string;
  readonly heapMb: number;
  readonly multiNode: boolean;
  /** Secrets fetch-secrets.sh reads at each start (bounds how long the start may take). */
  readonly secretCount: number;
  /**
   * Operations: the JMX exporter attached as a Java agent (`KAFKA_OPTS=-javaagent:…`), and the
   * log4j2 configuration that also writes `<LOG_DIR>/connect.log` (what OCI Logging tails).
   */
  readonly operations?: { readonly javaAgent: string; readonly log4jConfig: string };
}

/**
 * How long systemd lets mm2.service start: every secret's full retry budget in fetch-secrets.sh,
 * plus a minute for the rest (node-properties.sh, the JVM). systemd's default of 90 s would kill
 * the boot's Vault retries while a new dynamic-group policy propagates.
 */
export function startTimeoutSeconds(secretCount: number): number {
  return 60 + secretCount * VAULT_ATTEMPTS * (VAULT_CALL_TIMEOUT_SECONDS + VAULT_RETRY_DELAY_SECONDS);
}

/** mm2.service: MM2 as the non-root service user, restarted on failure, logging to journald. */
export function systemdUnit(options: UnitOptions): string {
  const pre = [
    ...(options.multiNode ? [`ExecStartPre=+${scriptPath(SCRIPT_NAMES.nodeProperties)}`] : []),
    `ExecStartPre=+${scriptPath(SCRIPT_NAMES.fetchSecrets)}`,
  ];
  return `[Unit]
Description=Apache Kafka MirrorMaker 2 replicating into ${options.targetAlias}
Documentation=https://kafka.apache.org/41/operations/geo-replication-cross-cluster-data-mirroring
Wants=network-online.target
After=network-online.target
# Keep retrying for as long as it takes (a DR source region may be away for hours).
StartLimitIntervalSec=0

[Service]
Type=simple
User=${SERVICE_USER}
Group=${SERVICE_USER}
UMask=0077
Environment=JAVA_HOME=${JAVA_HOME}
Environment="KAFKA_HEAP_OPTS=-Xms${options.heapMb}m -Xmx${options.heapMb}m"
Environment=LOG_DIR=${LOG_DIR}
${
  options.operations
    ? `Environment="KAFKA_OPTS=${options.operations.javaAgent}"
Environment="KAFKA_LOG4J_OPTS=-Dlog4j2.configurationFile=${options.operations.log4jConfig}"
`
    : ""
}LogsDirectory=mm2
StateDirectory=mm2
WorkingDirectory=${STATE_DIR}
${pre.join("\n")}
ExecStart=${options.kafkaHome}/bin/connect-mirror-maker.sh ${options.configDir}/mm2.properties --clusters ${options.targetAlias}
Restart=on-failure
RestartSec=15
SuccessExitStatus=143
TimeoutStartSec=${startTimeoutSeconds(options.secretCount)}
TimeoutStopSec=90
LimitNOFILE=65536
StandardOutput=journal
StandardError=journal
SyslogIdentifier=mm2
NoNewPrivileges=true
ProtectSystem=full
ProtectHome=true
PrivateTmp=true

[Install]
WantedBy=multi-user.target
`;
}

/**
 * fetch-verified.sh SHA256 DEST SOURCE — downloads SOURCE (an https URL through the NAT gateway, or
 * `oci-object://<namespace>/<bucket>/<object>` read from Object Storage with this instance's
 * principal, through the Service Gateway) and installs it as DEST (0644, root) only when its
 * SHA-256 is SHA256; a mismatch fails loudly and installs nothing. Idempotent.
 */
export function fetchVerifiedScript(): string {
  return `#!/bin/bash
# fetch-verified.sh SHA256 DEST SOURCE: installs SOURCE (https://… or oci-object://NS/BUCKET/OBJECT,
# read with this instance's principal) as DEST only if its SHA-256 is SHA256. Fails loudly otherwise.
set -euo pipefail
umask 022
export OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True

fail() {
  echo "fetch-verified: FATAL: $*" >&2
  logger -p user.crit -t fetch-verified "FATAL: $*" || true
  exit 1
}

[ "$#" -eq 3 ] || { echo "usage: fetch-verified.sh SHA256 DEST SOURCE" >&2; exit 2; }
sha=$1
dest=$2
src=$3
case $sha in
  '' | *[!0-9a-f]*) fail "not a SHA-256: $sha" ;;
esac
[ "\${#sha}" -eq 64 ] || fail "not a SHA-256: $sha"

if [ -f "$dest" ] && [ "$(sha256sum "$dest" | awk '{ print $1 }')" = "$sha" ]; then
  echo "fetch-verified: $dest already installed and verified" >&2
  exit 0
fi
dir=$(dirname "$dest")
mkdir -p "$dir"
tmp=$(mktemp "$dir/.fetch.XXXXXX")
trap 'rm -f "$tmp"' EXIT
case $src in
  https://*)
    curl -fsSL --retry 5 --retry-delay 5 --retry-connrefused -o "$tmp" "$src" || fail "cannot download $src"
    ;;
  oci-object://*/*/*)
    rest=\${src#oci-object://}
    ns=\${rest%%/*}
    rest=\${rest#*/}
    bucket=\${rest%%/*}
    object=\${rest#*/}
    timeout ${VAULT_CALL_TIMEOUT_SECONDS * 4} oci os object get --auth instance_principal -ns "$ns" -bn "$bucket" --name "$object" --file "$tmp" >/dev/null ||
      fail "cannot read $object from bucket $bucket (is the dynamic group's read policy on the bucket in force yet?)"
    ;;
  *) fail "unsupported source $src" ;;
esac
actual=$(sha256sum "$tmp" | awk '{ print $1 }')
[ "$actual" = "$sha" ] || fail "SHA-256 mismatch for $src: expected $sha, got $actual. Refusing to install."
chmod 0644 "$tmp"
mv -f "$tmp" "$dest"
trap - EXIT
if command -v restorecon >/dev/null 2>&1; then
  restorecon "$dest" || true
fi
echo "fetch-verified: installed $dest from $src (SHA-256 verified)" >&2
`;
}

/** What install-tools.sh installs: the pinned runtime and the package's own bundle. */
export interface ToolsInstall {
  readonly toolsDir: string;
  readonly command: string;
  readonly nodeUrl: string;
  readonly nodeSha256: string;
  /** `oci-object://<namespace>/<bucket>/<object>`. */
  readonly bundleSource: string;
  readonly bundleSha256: string;
  readonly bundleFile: string;
  /** The package version that rendered this node (the bundle must report it). */
  readonly version: string;
  /** The Run Command plugin's user, allowed to run exactly {@link command} as root. */
  readonly runCommandUser: string;
}

/**
 * install-tools.sh — the operator commands on a node (`oci-geo-streaming`, run by
 * oci-geo-streaming-install.service until it succeeds): the pinned Node.js runtime and the bundle of
 * the package version that rendered this user-data, each verified by SHA-256 (fetch-verified.sh),
 * the command wrapper, and a sudoers rule (checked with visudo) letting the Run Command plugin's
 * user run exactly that command as root. Then the metrics timer starts.
 */
export function installToolsScript(t: ToolsInstall): string {
  return `#!/bin/bash
# install-tools.sh: installs oci-geo-streaming ${t.version} (the operator commands) on this node, every
# download SHA-256 verified, and lets Run Command's user run exactly that command as root.
set -euo pipefail
umask 022

libexec=$(dirname "$(readlink -f "$0")")
tools=${shQuote(t.toolsDir)}
command=${shQuote(t.command)}
version=${shQuote(t.version)}
node_sha=${shQuote(t.nodeSha256)}

fail() {
  echo "install-tools: FATAL: $*" >&2
  logger -p user.crit -t install-tools "FATAL: $*" || true
  exit 1
}

mkdir -p "$tools"
"$libexec/${SCRIPT_NAMES.fetchVerified}" "$node_sha" "$tools/node.tar.xz" ${shQuote(t.nodeUrl)} ||
  fail "Node.js was not downloaded (see above)"
if [ ! -x "$tools/node/bin/node" ] || [ "$(cat "$tools/node/.sha256" 2>/dev/null || true)" != "$node_sha" ]; then
  work=$(mktemp -d "$tools/.node.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  tar -xJf "$tools/node.tar.xz" -C "$work" --strip-components=1 --no-same-owner || fail "cannot extract Node.js"
  printf '%s\\n' "$node_sha" >"$work/.sha256"
  chmod 0755 "$work"
  rm -rf "$tools/node"
  mv "$work" "$tools/node"
  trap - EXIT
fi
"$libexec/${SCRIPT_NAMES.fetchVerified}" ${shQuote(t.bundleSha256)} "$tools/${t.bundleFile}" ${shQuote(t.bundleSource)} ||
  fail "the oci-geo-streaming bundle was not installed (see above)"
reported=$("$tools/node/bin/node" "$tools/${t.bundleFile}" --version) || fail "the bundle does not run"
[ "$reported" = "$version" ] || fail "the bundle reports version $reported, not $version"

tmp=$(mktemp "$command.XXXXXX")
printf '#!/bin/bash\\nexec %s/node/bin/node %s/${t.bundleFile} "$@"\\n' "$tools" "$tools" >"$tmp"
chmod 0755 "$tmp"
mv -f "$tmp" "$command"

rule=$(mktemp /etc/sudoers.d/.oci-geo-streaming.XXXXXX)
printf 'Defaults:%s !requiretty\\n%s ALL=(root) NOPASSWD: %s\\n' ${shQuote(t.runCommandUser)} ${shQuote(t.runCommandUser)} "$command" >"$rule"
chmod 0440 "$rule"
visudo -cf "$rule" >/dev/null || { rm -f "$rule"; fail "the sudoers rule does not parse"; }
mv -f "$rule" /etc/sudoers.d/90-oci-geo-streaming

systemctl enable --now mm2-metrics.timer || fail "cannot start mm2-metrics.timer"
echo "install-tools: oci-geo-streaming $version installed ($command)" >&2
`;
}

/** What the metrics poster and the install unit need in the unit files. */
export interface OperationsUnits {
  readonly command: string;
  readonly configDir: string;
}

/** oci-geo-streaming-install.service: retries install-tools.sh every minute until it succeeds. */
export function toolsInstallUnit(): string {
  return `[Unit]
Description=Install the oci-geo-streaming operator commands (verified)
Wants=network-online.target
After=network-online.target
StartLimitIntervalSec=0
ConditionPathExists=!/etc/sudoers.d/90-oci-geo-streaming

[Service]
Type=simple
ExecStart=${scriptPath(SCRIPT_NAMES.installTools)}
Restart=on-failure
RestartSec=60
Environment=OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True
SyslogIdentifier=install-tools

[Install]
WantedBy=multi-user.target
`;
}

/**
 * mm2-metrics.service: one run of the poster (the timer starts it every minute). Its timeout is the
 * poster's own budget (lib/core/telemetry/budget.ts): the poster stops on its own before it, having
 * posted the node's liveness, the target's signals and the source's reachability first.
 */
export function metricsServiceUnit(u: OperationsUnits): string {
  return `[Unit]
Description=Post MirrorMaker 2 metrics to OCI Monitoring
ConditionPathExists=${u.command}

[Service]
Type=oneshot
User=${SERVICE_USER}
Group=${SERVICE_USER}
Environment=HOME=${STATE_DIR}
Environment=OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True
ExecStart=${u.command} metrics --mm2-properties ${u.configDir}/mm2.properties --monitoring ${u.configDir}/monitoring.properties --post
TimeoutStartSec=${METRICS_BUDGET.unitTimeoutSeconds}
SyslogIdentifier=mm2-metrics
NoNewPrivileges=true
ProtectSystem=full
ProtectHome=true
PrivateTmp=true
`;
}

/**
 * mm2-metrics.timer: every minute, the first run soon after boot — before MirrorMaker is up — so
 * that node_up exists from the start (an absence alarm never sees a stream that never reported).
 */
export function metricsTimerUnit(): string {
  return `[Unit]
Description=Post MirrorMaker 2 metrics to OCI Monitoring every minute

[Timer]
OnBootSec=30s
OnUnitActiveSec=${METRICS_BUDGET.timerIntervalSeconds}s
AccuracySec=5s

[Install]
WantedBy=timers.target
`;
}
