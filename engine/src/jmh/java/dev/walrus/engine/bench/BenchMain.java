package dev.walrus.engine.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs the engine benchmark matrix and prints one line per case plus the ratios the targets are stated in (FileChannel
 * baseline of the same sizes measured in the same run). Optional argument: a regex over "benchmark name"; only
 * matching cases run. {@code -Dbench.wi} / {@code -Dbench.i}: warm-up / measured iterations of the fixed-volume
 * cases (default 2 / 3: the machine is shared, keep runs short); timed cases keep their annotations. {@code -Dbench.dir}: where files go (default /tmp).
 */
public final class BenchMain {

    private record Case(String name, String benchmark, int threads, boolean gc) {}

    private static final Pattern FIXED_VOLUME = Pattern.compile("AppendBench|FileChannelBaselineBench|ReadBench");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String filter = args.length > 0 ? args[0] : "";
        int wi = Integer.getInteger("bench.wi", 2);
        int i = Integer.getInteger("bench.i", 3);
        String pkg = BenchMain.class.getPackageName() + ".";
        List<Case> cases = List.of(
                new Case("append", pkg + "AppendBench.append", 1, false),
                new Case("append", pkg + "AppendBench.append", 2, false),
                new Case("filechannel-perEntry", pkg + "FileChannelBaselineBench.perEntry", 1, false),
                new Case("filechannel-largeWrites", pkg + "FileChannelBaselineBench.largeWrites", 1, false),
                new Case("readBatch", pkg + "ReadBench.readBatch", 1, false),
                new Case("read-positional", pkg + "ReadBench.positional", 1, false),
                new Case("syncEach", pkg + "SyncEachBench.append", 1, false),
                new Case("syncEach", pkg + "SyncEachBench.append", 8, false),
                new Case("syncEach", pkg + "SyncEachBench.append", 64, false),
                new Case("fsync-scattered-baseline", pkg + "ScatteredSyncBaselineBench.round", 1, false),
                new Case("append-alloc", pkg + "AppendAllocationBench.append", 1, true));

        List<String> lines = new ArrayList<>();
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Case c : cases) {
            if (!Pattern.compile(filter).matcher(c.benchmark() + " " + c.name()).find()) {
                continue;
            }
            ChainedOptionsBuilder opts = new OptionsBuilder()
                    .include("^" + Pattern.quote(c.benchmark()) + "$")
                    .threads(c.threads())
                    .shouldFailOnError(true)
                    .jvmArgsAppend("-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED",
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            "-Dbench.dir=" + System.getProperty("bench.dir", "/tmp"));
            for (String name : System.getProperties().stringPropertyNames()) {
                if (name.startsWith("walrus.")) { // engine switches, e.g. -Dwalrus.prepare.disabled=true for a before/after
                    opts.jvmArgsAppend("-D" + name + "=" + System.getProperty(name));
                }
            }
            String onlySize = System.getProperty("bench.size"); // e.g. -Dbench.size=1024: only that entry size
            if (onlySize != null && !c.benchmark().contains("Sync") && !c.benchmark().contains("Alloc")) {
                opts.param("size", onlySize);
            }
            String forkArgs = System.getProperty("bench.jvmArgs"); // comma-separated, e.g. -XX:+UnlockDiagnosticVMOptions,-XX:+DumpPerfMapAtExit
            if (forkArgs != null && !forkArgs.isBlank()) {
                opts.jvmArgsAppend(forkArgs.trim().split(","));
            }
            String onlyTopics = System.getProperty("bench.topics"); // e.g. -Dbench.topics=8: only that topic count
            if (onlyTopics != null && c.benchmark().contains("AppendBench")) {
                opts.param("topics", onlyTopics);
            }
            if (c.gc()) {
                opts.addProfiler(GCProfiler.class);
            }
            if (FIXED_VOLUME.matcher(c.benchmark()).find()) {
                // fixed-volume single-shot cases: the counts given; throughput cases keep their timed annotations
                opts.warmupIterations(wi).measurementIterations(i);
            }
            Collection<RunResult> results = new Runner(opts.build()).run();
            for (RunResult r : results) {
                int size = r.getParams().getParam("size") == null ? 100 : Integer.parseInt(r.getParams().getParam("size"));
                String topics = r.getParams().getParam("topics");
                if (r.getParams().getParam("regions") != null) {
                    topics = r.getParams().getParam("regions") + "regions";
                }
                if (r.getParams().getParam("topicPerWriter") != null) {
                    topics = Boolean.parseBoolean(r.getParams().getParam("topicPerWriter")) ? "perWriter" : "shared";
                }
                Statistics s = r.getPrimaryResult().getStatistics();
                double opsPerSec;
                if (r.getPrimaryResult().getScoreUnit().startsWith("ops/")) {
                    opsPerSec = s.getMean();
                } else {
                    opsPerSec = Workload.entries(size) / (s.getMean() / 1000.0); // ms per iteration of fixed volume
                }
                String key = c.name() + " size=" + size + (topics == null ? "" : " topics=" + topics)
                        + " threads=" + c.threads();
                rates.put(key, opsPerSec);
                StringBuilder line = new StringBuilder(String.format("walrus bench=%s ops_s=%.0f MiB_s=%.1f", key,
                        opsPerSec, opsPerSec * size / 1048576.0));
                if (!r.getPrimaryResult().getScoreUnit().startsWith("ops/")) {
                    line.append(String.format(" iter_ms_mean=%.1f min=%.1f max=%.1f n=%d", s.getMean(), s.getMin(),
                            s.getMax(), s.getN()));
                }
                if (c.gc()) {
                    Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
                    if (norm != null) {
                        line.append(String.format(" alloc_B_per_append=%.3f", norm.getScore()));
                    }
                }
                lines.add(line.toString());
            }
        }
        System.out.println();
        System.out.println("# walrus engine benchmarks (" + System.getProperty("java.vm.name") + " "
                + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors() + " cpus, wi=" + wi + " i=" + i
                + ")");
        lines.forEach(System.out::println);
        System.out.println("# ratios");
        for (int size : new int[] {100, 1024}) {
            Double large = rates.get("filechannel-largeWrites size=" + size + " threads=1");
            Double per = rates.get("filechannel-perEntry size=" + size + " threads=1");
            for (var e : rates.entrySet()) {
                if (e.getKey().startsWith("append size=" + size + " ")) {
                    if (large != null) {
                        System.out.printf("ratio %s / filechannel-largeWrites = %.2f%n", e.getKey(), e.getValue() / large);
                    }
                    if (per != null) {
                        System.out.printf("ratio %s / filechannel-perEntry = %.2f%n", e.getKey(), e.getValue() / per);
                    }
                }
            }
        }
        for (String topics : new String[] {"perWriter", "shared"}) {
            Double sync1 = rates.get("syncEach size=100 topics=" + topics + " threads=1");
            for (int t : new int[] {8, 64}) {
                Double st = rates.get("syncEach size=100 topics=" + topics + " threads=" + t);
                if (sync1 != null && st != null) {
                    System.out.printf("ratio syncEach topics=%s threads=%d / threads=1 = %.1f%n", topics, t, st / sync1);
                }
            }
        }
    }
}
