#!/usr/bin/env python3
"""checkpoint.py — what checkpoints cost (docs/BENCHMARKS.md, section 4).

    bench/checkpoint.py BUILD_DIR [--runs N] [--epochs E] [--subset N]

(a) Fashion-MNIST trainer (instrumented), wall time with a checkpoint policy
    attached from outside ÷ the same binary with none: every epoch (goal <= 1.01)
    and every 50 batches (goal <= 1.035). Pairs alternate their order; medians
    of the per-pair ratios. Both runs must print the same weights checksum.
(b) Checkpoint size ÷ the bytes of the state records in it (goal <= 1.05).
(c) K-fold example: newest checkpoint ÷ the process's peak RSS (goal < 1%).
(d) K-fold example: time from start until "pl: resumed" when resuming from a
    checkpoint late in the run ÷ from one early in it (goal <= 1.1).
"""
import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def run(cmd, env=None, cwd=None):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return dt, p.stdout, p.stderr


def records(path):
    """(name, payload size) of each record of a checkpoint file."""
    with open(path, "rb") as f:
        b = f.read()
    assert b[:8] == b"PLCKPT01", path
    pos = 8

    def u64():
        nonlocal pos
        (v,) = struct.unpack_from("<Q", b, pos)
        pos += 8
        return v

    def blob():
        nonlocal pos
        n = u64()
        s = b[pos:pos + n]
        pos += n
        return s

    blob()  # fingerprint
    out = []
    for _ in range(u64()):
        name, _type, payload = blob(), blob(), blob()
        pos += 4  # crc32
        out.append((name.decode(), len(payload)))
    return out


def newest(d):
    files = sorted(f for f in os.listdir(d) if f.endswith(".plck"))
    return os.path.join(d, files[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--subset", type=int, default=0, help="K-fold training samples (0: all)")
    a = ap.parse_args()
    fm = os.path.join(a.build, "examples/fashion_mnist/fashion_mnist")
    kf = os.path.join(a.build, "examples/kfold_resume/kfold_resume")
    tmp = tempfile.mkdtemp(prefix="pl-ckpt-bench-")
    env0 = {k: v for k, v in os.environ.items() if not k.startswith("PL_")}

    # (a) overhead of checkpointing.
    policies = {
        "every epoch": "checkpoint mlp::train/epoch every=1 dir={d} keep=2",
        "every 50 batches": "checkpoint mlp::train/epoch/batch every=50 dir={d} keep=2",
    }
    ratios = {k: [] for k in policies}
    times = {k: [] for k in list(policies) + ["none"]}
    base_cmd = [fm, "--epochs", str(a.epochs), "--quiet"]
    for i in range(a.runs):
        order = list(policies.items())
        if i % 2:
            order.reverse()
        t_none, out_none, _ = run(base_cmd, env=env0)
        times["none"].append(t_none)
        for name, policy in order:
            d = os.path.join(tmp, "a")
            shutil.rmtree(d, ignore_errors=True)
            env = dict(env0, PL_HOOKS=policy.format(d=d))
            t, out, _ = run(base_cmd, env=env)
            if out != out_none:
                sys.exit(f"checkpointing changed the result:\n{out_none}\n{out}")
            times[name].append(t)
            ratios[name].append(t / t_none)
    print(f"(a) Fashion-MNIST, {a.epochs} epochs, {a.runs} pairs: no checkpoint "
          f"{statistics.median(times['none']):.2f} s (median)")
    for name, goal in (("every epoch", 1.01), ("every 50 batches", 1.035)):
        r = statistics.median(ratios[name])
        print(f"    checkpoint {name}: {statistics.median(times[name]):.2f} s, ratio {r:.4f} "
              f"(goal <= {goal}) [{' '.join(f'{x:.3f}' for x in ratios[name])}]")

    # (b) size of a checkpoint against the state it holds.
    f = newest(os.path.join(tmp, "a"))
    recs = records(f)
    state = sum(n for name, n in recs if name.startswith(("state/", "done/", "set/")))
    size = os.path.getsize(f)
    print(f"(b) checkpoint {size} bytes, state records {state} bytes: ratio {size / state:.4f} "
          f"(goal <= 1.05)")

    # (c) K-fold: checkpoint size against peak RSS.
    d = os.path.join(tmp, "kfold")
    kcmd = [kf, "--epochs", "2"] + (["--subset", str(a.subset)] if a.subset else [])
    env = dict(env0, PL_HOOKS=f"checkpoint mlp::train/epoch/batch every=100 dir={d} keep=1000")
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + kcmd, env=env, capture_output=True,
                       text=True)
    if p.returncode != 0:
        sys.exit(p.stderr[-2000:])
    rss = int(p.stderr.strip().splitlines()[-1]) * 1024
    files = sorted(x for x in os.listdir(d) if x.endswith(".plck"))
    ck = os.path.getsize(os.path.join(d, files[-1]))
    names = [n for n, _ in records(os.path.join(d, files[-1]))]
    print(f"(c) K-fold: checkpoint {ck / 1e6:.2f} MB, peak RSS {rss / 1e6:.0f} MB: "
          f"{100 * ck / rss:.3f}% (goal < 1%); records: {len(names)}, "
          f"any holding the data set: {any('all' in n.split('/')[-1] for n in names)}")

    # (d) resume time, late against early.
    def resume_seconds(ckpt):
        rd = os.path.join(tmp, "resume")
        shutil.rmtree(rd, ignore_errors=True)
        os.makedirs(rd)
        shutil.copy(ckpt, rd)
        env = dict(env0, PL_RESUME="1",
                   PL_HOOKS=f"checkpoint mlp::train/epoch/batch every=100000 dir={rd}")
        t0 = time.perf_counter()
        p = subprocess.Popen(kcmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True)
        for line in p.stderr:
            if line.startswith("pl: resumed "):
                dt = time.perf_counter() - t0
                p.kill()
                p.wait()
                return dt
        p.wait()
        sys.exit("the resumed run never said 'pl: resumed'")

    early, late = os.path.join(d, files[1]), os.path.join(d, files[-1])
    te = [resume_seconds(early) for _ in range(3)]
    tl = [resume_seconds(late) for _ in range(3)]
    print(f"(d) K-fold resume: from {files[1]} (early) {statistics.median(te):.3f} s, "
          f"from {files[-1]} (late) {statistics.median(tl):.3f} s: ratio "
          f"{statistics.median(tl) / statistics.median(te):.3f} (goal <= 1.1)")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
