#!/usr/bin/env python3
"""handmlp.py — what listening costs on ordinary code (docs/BENCHMARKS.md, §6).

    bench/handmlp.py BUILD_DIR [--runs N] [--epochs E] [--subset N] [--synthetic]
                               [--only run|compile] [--reps R] [--filter TEXT]

bench/handmlp is an MLP whose kernels are hand-written loops, trained with
4-fold cross-validation over 3 learning rates (lr → fold → epoch → batch).

(a) Run time: whole-process CPU time (user + sys, from wait4), paired runs in
    alternating order, median of the per-pair ratios. Every configuration is
    divided by the instrumented build with no hook; "no hook" itself is
    divided by the plain build. Every run must print the plain run's results.
(b) Compile time (CPU): each of its TUs, and an empty main, compiled plain ÷
    compiled from pl-instrument's output (the emitted code alone, and
    pl-instrument + compile together), medians over R repetitions.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

# (name, PL_HOOKS, goal) — divided by the instrumented build with no hook.
def configurations(tmp):
    log = os.path.join(tmp, "log.jsonl")
    ck = os.path.join(tmp, "ckpt")
    outer = "cross_validate/loop0"
    epoch = "train_fold/loop0"
    batch = "train_fold/loop0/loop1"
    fold = "cross_validate/loop0/loop1"
    return [
        ("log on the outermost loop (lr)", f"log {outer} vars=lr file={log}", 1.02),
        ("progress on the outermost loop", f"progress {outer}", 1.02),
        ("log on the epoch loop", f"log {epoch} vars=loss file={log}", 1.02),
        ("log every batch", f"log {batch} vars=total file={log}", 1.05),
        ("checkpoint policy on the epoch loop, never due",
         f"checkpoint {epoch} every=100000 dir={ck}", 1.02),
        ("checkpoint every epoch", f"checkpoint {epoch} every=1 dir={ck}", 1.03),
        ("checkpoint every 50 batches", f"checkpoint {batch} every=50 dir={ck}", 1.05),
        # The epoch and batch loops hold `Network net` (polymorphic layers, no
        # serializer): their checkpoints are refused, so the rows above measure
        # the tracking and the policy, not a write. The fold loop's state can
        # be saved: this row writes 12 real checkpoint files per run.
        ("checkpoint every fold (written)", f"checkpoint {fold} every=1 dir={ck}", 1.03),
    ]


def cpu_run(cmd, env):
    """Runs cmd; returns (user+sys seconds, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, env=env, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        out.seek(0)
        err.seek(0)
        o, e = out.read().decode(), err.read().decode()
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            sys.exit(f"{' '.join(cmd)} failed ({code}):\n{e[-2000:]}")
        # A hook that did not attach measures nothing. (The "never due" row's
        # policy never falls due on purpose, and pl says so at exit.)
        problems = [l for l in e.splitlines()
                    if ("pl: error" in l or "pl: warning" in l) and "never fell due" not in l]
        if problems:
            sys.exit(f"{' '.join(cmd)} with PL_HOOKS={env.get('PL_HOOKS')!r}:\n{e[-2000:]}")
        return ru.ru_utime + ru.ru_stime, o, e


def clean_env(hooks=None):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PL_HOOKS", "PL_CONFIG", "PL_PLUGINS", "PL_STRICT", "PL_RESUME")}
    if hooks:
        env["PL_HOOKS"] = hooks
    return env


def paired(base_cmd, base_env, cmd, env, runs, expect, tmp):
    ratios, tb, tc = [], [], []
    for i in range(runs):
        order = [(base_cmd, base_env, tb), (cmd, env, tc)]
        if i % 2:
            order.reverse()
        for c, e, acc in order:
            shutil.rmtree(os.path.join(tmp, "ckpt"), ignore_errors=True)
            t, out, _ = cpu_run(c, e)
            if out != expect:
                sys.exit(f"{' '.join(c)} printed different results")
            acc.append(t)
        ratios.append(tc[-1] / tb[-1])
    return statistics.median(tb), statistics.median(tc), statistics.median(ratios), ratios


def bench_runs(args, tmp):
    plain = [os.path.join(args.build, "bench/handmlp/handmlp_plain")]
    instr = [os.path.join(args.build, "bench/handmlp/handmlp")]
    flags = ["--epochs", str(args.epochs), "--subset", str(args.subset)]
    if args.synthetic:
        flags.append("--synthetic")
    plain, instr = plain + flags, instr + flags
    _, expect, _ = cpu_run(plain, clean_env())
    rows = []
    b, c, r, rs = paired(plain, clean_env(), instr, clean_env(), args.runs, expect, tmp)
    rows.append(("instrumented, no hook ÷ plain", b, c, r, rs, 1.02))
    for name, hooks, goal in configurations(tmp):
        if args.filter and args.filter not in name:
            continue
        b, c, r, rs = paired(instr, clean_env(), instr, clean_env(hooks), args.runs, expect, tmp)
        rows.append((name + " ÷ no hook", b, c, r, rs, goal))
    return rows


def cpu_of(cmd):
    """CPU seconds (user + sys) of one command, which must succeed."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    err = p.stderr.read().decode()
    p.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return ru.ru_utime + ru.ru_stime


def compile_ratio(args, tmp):
    """Per TU: CPU time of the plain compile, of the emitted code's compile,
    and of pl-instrument (medians). Includes an empty main, which shows what
    the contract header alone costs."""
    tool = os.path.join(args.build, "compiler/pl-instrument")
    cxx = os.environ.get("CXX", "c++")
    flags = ["-std=c++17", "-O2", "-DNDEBUG"]
    empty_dir = os.path.join(tmp, "empty")
    os.makedirs(empty_dir, exist_ok=True)
    with open(os.path.join(empty_dir, "empty_main.cpp"), "w") as f:
        f.write("int main(int argc, char**) { return argc > 5; }\n")
    units = [(empty_dir, "empty_main.cpp")] + [
        (os.path.join(HERE, "handmlp"), tu) for tu in ("main.cpp", "data.cpp", "nn.cpp", "train.cpp")]
    rows = []
    for root, tu in units:
        src = os.path.join(root, tu)
        out_dir = os.path.join(tmp, "pl")
        emitted = os.path.join(out_dir, tu)
        plain_t, emit_t, tool_t = [], [], []
        for _ in range(args.reps):
            plain_t.append(cpu_of([cxx, *flags, "-c", src, "-o", os.devnull]))
            tool_t.append(cpu_of([tool, "--source-root", root, "-o", out_dir, src, "--", *flags]))
            emit_t.append(cpu_of([cxx, *flags, "-I", root, "-I", os.path.join(REPO, "runtime/include"),
                                  "-c", emitted, "-o", os.devnull]))
        rows.append((tu, statistics.median(plain_t), statistics.median(emit_t),
                     statistics.median(tool_t)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--subset", type=int, default=2000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--synthetic", action="store_true")
    ap.add_argument("--only", choices=("run", "compile"))
    ap.add_argument("--filter", help="run only the hook configurations whose name has this")
    args = ap.parse_args()
    args.build = os.path.abspath(args.build)
    tmp = tempfile.mkdtemp(prefix="pl-handmlp-")
    try:
        print(f"# handmlp — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
              f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}\n")
        if args.only != "compile":
            print(f"Run time (CPU s), {args.runs} pairs, {args.epochs} epochs, subset {args.subset}\n")
            print("| measure | baseline | pl | ratio (median) | pairs | goal | |")
            print("|---|---:|---:|---:|---|---:|---|")
            for name, b, c, r, rs, goal in bench_runs(args, tmp):
                verdict = "met" if r <= goal else "**missed**"
                pairs = " ".join(f"{x:.3f}" for x in rs)
                print(f"| {name} | {b:.3f} | {c:.3f} | **{r:.4f}** | {pairs} | ≤ {goal} | {verdict} |")
            print()
        if args.only != "run":
            print(f"Compile time (CPU s), medians of {args.reps}\n")
            print("| TU | plain | emitted | ratio (≤ 1.3) | pl-instrument + emitted | ratio (≤ 1.8) |")
            print("|---|---:|---:|---:|---:|---:|")
            for tu, p, e, t in compile_ratio(args, tmp):
                print(f"| {tu} | {p:.3f} | {e:.3f} | **{e / p:.3f}** | {t + e:.3f} | **{(t + e) / p:.3f}** |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
