package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.internal.bench.BandwidthProbe;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bandwidth", mixinStandardHelpOptions = true,
        description = "Measures memory read bandwidth with the kernels' vector loads (the decode roofline), as JSON.")
final class BandwidthCommand implements Callable<Integer> {

    @Option(names = "--threads", paramLabel = "T", description = "Reading threads (default: one per available processor).")
    Integer threads;

    @Option(names = "--mb", paramLabel = "N", defaultValue = "1024", description = "Buffer size in MiB (default: ${DEFAULT-VALUE}).")
    int mb;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (ComputePool pool = new ComputePool(t)) {
            BandwidthProbe.Result r = BandwidthProbe.measure(pool, (long) mb << 20, 7);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("threads", t);
            json.put("buffer_mb", mb);
            json.put("read_gb_per_s", Math.round(r.gbPerSecond() * 100) / 100.0);
            out.println(Json.write(json));
        }
        return 0;
    }
}
