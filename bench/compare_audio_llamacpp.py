#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Audio encode speed, ours vs llama.cpp, on the same full-size random mmproj
and the same WAV lengths (issue 5 benchmark). llama.cpp is not part of this
project: build it yourself and pass its llama-mtmd-cli. Because CI machines
are shared and noisy, user CPU seconds of the encode are reported beside wall
time: ours from bench_audio (getrusage around EncodeClip), llama.cpp's from
/proc/<pid>/stat sampled at its "encoding mtmd batch" / "done in N ms" lines.
llama.cpp's number excludes the log-mel (computed while tokenizing); ours
includes it.

usage: compare_audio_llamacpp.py BUILD_DIR LLAMA_MTMD_CLI TEXT_MODEL [THREADS...]
TEXT_MODEL must have n_embd 1536 (a full-size E2B GGUF).
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import random
import wave

SECONDS = (5, 10, 30)
TICK = os.sysconf("SC_CLK_TCK")


def write_noise_wav(path, secs):
    rng = random.Random(3)
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        frames = bytearray()
        for _ in range(secs * 16000):
            v = int(max(-1.0, min(1.0, rng.gauss(0.0, 0.1))) * 32767)
            frames += struct.pack("<h", v)
        w.writeframes(bytes(frames))


def user_cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / TICK  # utime, all threads


def ours(build, mmproj, threads):
    out = subprocess.run(
        [f"{build}/bench/bench_audio", "--threads", str(threads), "--out",
         mmproj, "--keep", "1"], check=True, capture_output=True, text=True)
    rows = {}
    pat = re.compile(r"^\s*(\d+) s audio -> \s*(\d+) tokens:\s*([\d.]+) ms.*"
                     r"user CPU ([\d.]+) s, peak RSS (\d+) MiB")
    for line in out.stdout.splitlines():
        m = pat.match(line)
        if m:
            rows[int(m[1])] = (float(m[3]), float(m[4]), int(m[5]), int(m[2]))
    return rows


def llama(cli, model, mmproj, wav, threads):
    p = subprocess.Popen(
        [cli, "-m", model, "--mmproj", mmproj, "--audio", wav, "-p",
         "What is this sound?", "-n", "1", "-t", str(threads),
         "--chat-template", "gemma"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    cpu0 = None
    ms = cpu = None
    for line in p.stderr:
        if "encoding mtmd batch" in line:
            cpu0 = user_cpu_s(p.pid)
        m = re.search(r"mtmd batch encoding done in (\d+) ms", line)
        if m and cpu0 is not None:
            cpu = user_cpu_s(p.pid) - cpu0
            ms = float(m[1])
    p.wait()
    return ms, cpu


def main():
    build, cli, model = sys.argv[1:4]
    threads = [int(t) for t in sys.argv[4:]] or [1, 2]
    tmp = tempfile.mkdtemp(prefix="vigil-audio-cmp-")
    mmproj = os.path.join(tmp, "mmproj-audio-f16.gguf")
    wavs = {}
    for s in SECONDS:
        wavs[s] = os.path.join(tmp, f"noise_{s}s.wav")
        write_noise_wav(wavs[s], s)
    print("| threads | audio s | tokens | ours ms | llama.cpp ms | wall ratio"
          " | ours user CPU s | llama.cpp user CPU s | CPU ratio | ours peak"
          " RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in threads:
        mine = ours(build, mmproj, t)
        for s in SECONDS:
            ms, cpu, rss, tokens = mine[s]
            lms, lcpu = llama(cli, model, mmproj, wavs[s], t)
            wr = f"{ms / lms:.2f}x" if lms else "n/a"
            cr = f"{cpu / lcpu:.2f}x" if lcpu else "n/a"
            print(f"| {t} | {s} | {tokens} | {ms:.0f} | {lms or 0:.0f} | {wr} |"
                  f" {cpu:.2f} | {lcpu or 0:.2f} | {cr} | {rss} |", flush=True)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)


if __name__ == "__main__":
    main()
