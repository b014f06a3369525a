"""A real OpenSSH server for the SFTP tests: Debian's sshd, started as `sshd -D -f CONFIG -e` on a free port of
127.0.0.1 with a temporary host key and authorized_keys, SFTP served by internal-sftp. It serves the user running
the tests (root in CI) and the unprivileged user nobody, both with the test's client key; password logins are on
(no password is set here, so every password is wrong). Skipped, saying why, where sshd is missing.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

SSHD = Path("/usr/sbin/sshd")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def keygen(path: Path) -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", str(path)], check=True)
    return path


def descendants(pid: int) -> list[int]:
    """The processes under pid (sshd's per-connection children start their own sessions, so a process group does
    not hold them)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


class SshServer:
    def __init__(self, folder: Path) -> None:
        if not SSHD.exists() or shutil.which("ssh-keygen") is None:
            pytest.skip("OpenSSH's server is not installed (apt-get install openssh-server)")
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.host_key = keygen(folder / "host_ed25519")
        self.client_key = keygen(folder / "client_ed25519")
        self.other_key = keygen(folder / "other_ed25519")
        (folder / "authorized_keys").write_text((folder / "client_ed25519.pub").read_text())
        self.known_hosts = folder / "known_hosts"
        self.known_hosts.write_text(self.known_hosts_line(self.host_key))
        self.process: subprocess.Popen[bytes] | None = None
        # Privilege separation needs this folder, which Debian's service unit makes at boot.
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self.start()

    def known_hosts_line(self, host_key: Path) -> str:
        kind, key = Path(f"{host_key}.pub").read_text().split()[:2]
        return f"[127.0.0.1]:{self.port} {kind} {key}\n"

    def config(self) -> Path:
        path = self.folder / "sshd_config"
        path.write_text(
            "\n".join(
                [
                    f"Port {self.port}",
                    "ListenAddress 127.0.0.1",
                    f"HostKey {self.host_key}",
                    "PidFile none",
                    f"AuthorizedKeysFile {self.folder / 'authorized_keys'}",
                    # The temporary folders are not laid out as sshd's strict checks want a home to be.
                    "StrictModes no",
                    "PubkeyAuthentication yes",
                    "PasswordAuthentication yes",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin yes",
                    "Subsystem sftp internal-sftp",
                    "LogLevel ERROR",
                    "",
                ]
            )
        )
        return path

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(SSHD), "-D", "-f", str(self.config()), "-e"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for _ in range(500):  # until it listens (a bounded wait, not a timing)
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"sshd did not start: {error}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                subprocess.run(["sleep", "0.02"], check=True)
        raise RuntimeError("sshd did not listen")

    def kill(self) -> None:
        """Kill the server and every session it serves, as a crash or a cut cable would."""
        if self.process is None:
            return
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        self.process.wait()
        self.process = None

    def restart(self, host_key: Path | None = None) -> None:
        self.kill()
        if host_key is not None:
            self.host_key = host_key
        self.start()

    def url(self, path: str, user: str | None = None) -> str:
        return f"sftp://{user or getpass.getuser()}@127.0.0.1:{self.port}{path}"
