"""Two ips-tui processes changing profiles.toml at once lose nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
import tomllib

from ips_tui.store.profiles import Profile, ProfileStore

OPERATIONS = 200

# Each worker: half its operations add profiles of its own, half add companies to one shared
# profile through update() (a read-modify-write of the same table the other worker changes).
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ips_tui.store.profiles import Profile, ProfileStore

    folder, tag, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = ProfileStore(folder, lock_timeout=60)
    (folder / f"ready-{tag}").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)
    for i in range(count):
        if i % 2:
            def add(profile, i=i):
                profile.companies[f"{tag}-company-{i}"] = f"c|{tag}{i}"
            store.update("shared", add)
        else:
            store.save_profile(Profile(f"{tag}-{i}", user=f"{tag}{i}@example.com", region="emea"))
    print("done", flush=True)
    """
)


def test_two_processes_lose_nothing(tmp_path):
    folder = tmp_path / "config"
    store = ProfileStore(folder)
    store.save_profile(Profile("shared", user="ops@example.com", region="na"))

    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), tag, str(OPERATIONS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    try:
        deadline = time.monotonic() + 60
        while not all((folder / f"ready-{tag}").exists() for tag in ("a", "b")):
            assert time.monotonic() < deadline, "workers did not start"
            assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
            time.sleep(0.01)
        (folder / "go").touch()  # both start together, so their writes interleave
        results = [w.communicate(timeout=240) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for worker, (out, err) in zip(workers, results):
        assert worker.returncode == 0, err
        assert out.strip() == "done"

    doc = tomllib.loads(store.path.read_text())  # the file parses
    data = store.load()
    for tag in ("a", "b"):
        for i in range(OPERATIONS):
            if i % 2:
                assert data.profiles["shared"].companies[f"{tag}-company-{i}"] == f"c|{tag}{i}"
            else:
                assert data.profiles[f"{tag}-{i}"].user == f"{tag}{i}@example.com"
    assert len(data.profiles) == 1 + OPERATIONS  # 100 own profiles per worker, plus the shared one
    assert len(data.profiles["shared"].companies) == OPERATIONS
    assert len(doc["profiles"]) == 1 + OPERATIONS
    leftovers = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    assert leftovers == []


def test_threads_in_one_process_lose_nothing(tmp_path):
    """The lock also holds between threads (a TUI worker and a CLI call in one process)."""
    store = ProfileStore(tmp_path)
    store.save_profile(Profile("shared", user="ops@example.com", region="na"))
    errors: list[BaseException] = []

    def work(tag: str) -> None:
        try:
            own = ProfileStore(tmp_path, lock_timeout=60)
            for i in range(50):
                own.update("shared", lambda p, i=i: p.companies.__setitem__(f"{tag}{i}", f"c|{tag}{i}"))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(tag,)) for tag in "xyz"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.get("shared").companies) == 150
