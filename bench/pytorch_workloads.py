"""The PyTorch side of `npm run bench -- pytorch` (bench/vsPytorch.ts).

Reads one JSON request per line on stdin, {"workload": {...}, "reps": n, "group": g, "warmup": w}, builds the
described workload in PyTorch (the same shapes and steps as the engine's, which bench/vsPytorch.ts
sends), times `reps` groups of `group` calls after `warmup` and answers one JSON line
{"wall": [ms, ...], "cpu": [ms, ...]} (per call: each group's mean; cpu is the process's CPU time).
The first line it writes says whether torch is here:
{"ready": true, "torch": "1.13.1", "threads": 1, "blas": "libopenblasp-r0.3.21.so"}.
"""
import json
import sys
import time


def main():
    try:
        import torch
    except Exception as e:  # no torch: the suite reports it and times the engine alone
        print(json.dumps({"ready": False, "error": str(e)}), flush=True)
        return
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))  # loads the BLAS library, to name it below
    hello = {"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}
    print(json.dumps(hello), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        step = build(torch, req["workload"])
        for _ in range(req.get("warmup", 2)):
            step()
        group = req.get("group", 1)
        wall, cpu = [], []
        for _ in range(req["reps"]):
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(group):
                step()
            cpu.append((time.process_time() - c0) * 1000 / group)
            wall.append((time.perf_counter() - t0) * 1000 / group)
        print(json.dumps({"wall": wall, "cpu": cpu}), flush=True)


def blas_library():
    """The file name of the BLAS library mapped into this process (Linux), else "unknown"."""
    try:
        with open("/proc/self/maps") as maps:
            names = {line.split()[-1].rsplit("/", 1)[-1] for line in maps if "blas" in line}
        return ", ".join(sorted(names)) or "unknown"
    except OSError:
        return "unknown"


def labels(torch, n, classes):
    return torch.arange(n) % classes


def build(torch, w):
    nn = torch.nn
    kind = w["kind"]
    if kind == "sgemm":
        n = w["n"]
        a, b, c = torch.rand(n, n) * 2 - 1, torch.rand(n, n) * 2 - 1, torch.empty(n, n)
        return lambda: torch.mm(a, b, out=c)
    if kind == "mlp":
        sizes = w["sizes"]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 2 < len(sizes):
                layers.append(nn.ReLU() if w["activation"] == "relu" else nn.Tanh())
        model = nn.Sequential(*layers)
        x = torch.randn(w["batch"], sizes[0])
        y = labels(torch, w["batch"], sizes[-1])
        opt = torch.optim.SGD(model.parameters(), lr=w["lr"])

        def mlp_step():
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            loss.item()

        return mlp_step
    if kind == "convnet":
        conv1 = nn.Conv2d(1, w["c1"], w["k"])
        conv2 = nn.Conv2d(w["c1"], w["c2"], w["k"])
        fc = nn.Linear(w["flatFeatures"], w["classes"])
        pool = nn.MaxPool2d(2)
        x = torch.randn(w["batch"], 1, w["size"], w["size"])
        y = labels(torch, w["batch"], w["classes"])
        mods = [conv1, conv2, fc]

        def conv_step():
            h = pool(torch.relu(conv1(x)))
            h = pool(torch.relu(conv2(h)))
            loss = nn.functional.cross_entropy(fc(torch.flatten(h, 1)), y)
            loss.backward()
            for m in mods:
                m.zero_grad()

        return conv_step
    if kind == "rnn":
        rnn = nn.RNN(w["input"], w["hidden"])
        fc = nn.Linear(w["hidden"], w["classes"])
        x = torch.randn(w["steps"], w["batch"], w["input"])
        y = labels(torch, w["batch"], w["classes"])

        def rnn_step():
            _, h_n = rnn(x)
            loss = nn.functional.cross_entropy(fc(h_n.squeeze(0)), y)
            loss.backward()
            rnn.zero_grad()
            fc.zero_grad()

        return rnn_step
    raise ValueError("unknown workload kind: " + kind)


if __name__ == "__main__":
    main()
