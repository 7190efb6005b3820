// The judge for ips_tui.job.quartz: runs the real org.quartz.CronExpression (Quartz 2.3.2).
//
// stdin, one case per line:   <zone-id> <after-epoch-millis> <count> <base64 of the UTF-8 expression>
// stdout, one JSON object per line, in the same order:
//   {"parse_ok":true|false,"error":"<ParseException message or null>",
//    "eval_error":"<exception thrown by getNextValidTimeAfter, or null>","timeout":true|false,
//    "fires":[<epoch millis>, ...]}
// "fires" holds up to <count> successive getNextValidTimeAfter results, starting after <after-epoch-millis>;
// it stops early when Quartz returns null (the expression never fires again).  Some expressions send
// Quartz into an endless loop (e.g. "0W" in day-of-month): each case runs on its own thread, and one that
// takes longer than TIMEOUT_MS is stopped and reported with "timeout":true.
// The first output line is {"max_year":N}: CronExpression.MAX_YEAR (this JVM's current year + 100).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.Date;
import java.util.TimeZone;

import org.quartz.CronExpression;

public final class QuartzOracle {
    private static final long TIMEOUT_MS = 1500;

    private QuartzOracle() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        out.println("{\"max_year\":" + CronExpression.MAX_YEAR + "}");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split(" ", 4);
            String zone = parts[0];
            long after = Long.parseLong(parts[1]);
            int count = Integer.parseInt(parts[2]);
            String expr = parts.length > 3
                    ? new String(Base64.getDecoder().decode(parts[3]), StandardCharsets.UTF_8) : "";
            out.println(runGuarded(zone, after, count, expr));
            out.flush();
        }
        out.flush();
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static String runGuarded(String zone, long after, int count, String expr) throws InterruptedException {
        String[] result = new String[1];
        Thread worker = new Thread(() -> result[0] = run(zone, after, count, expr));
        worker.setDaemon(true);
        worker.start();
        worker.join(TIMEOUT_MS);
        if (worker.isAlive()) {
            try {
                worker.stop(); // Java 17 still honours it; later JDKs leave a daemon thread spinning
            } catch (UnsupportedOperationException e) {
                // nothing more we can do
            }
            return "{\"parse_ok\":true,\"error\":null,\"eval_error\":null,\"timeout\":true,\"fires\":[]}";
        }
        return result[0];
    }

    private static String run(String zone, long after, int count, String expr) {
        StringBuilder json = new StringBuilder("{");
        CronExpression cron;
        try {
            cron = new CronExpression(expr);
        } catch (ParseException e) {
            return json.append("\"parse_ok\":false,\"error\":").append(str(e.getMessage()))
                    .append(",\"eval_error\":null,\"timeout\":false,\"fires\":[]}").toString();
        } catch (RuntimeException e) {
            return json.append("\"parse_ok\":false,\"error\":").append(str(e.toString()))
                    .append(",\"eval_error\":null,\"timeout\":false,\"fires\":[]}").toString();
        }
        cron.setTimeZone(TimeZone.getTimeZone(zone));
        StringBuilder fires = new StringBuilder("[");
        String evalError = null;
        Date d = new Date(after);
        try {
            for (int i = 0; i < count; i++) {
                d = cron.getNextValidTimeAfter(d);
                if (d == null) {
                    break;
                }
                if (i > 0) {
                    fires.append(',');
                }
                fires.append(d.getTime());
            }
        } catch (RuntimeException e) {
            evalError = e.toString();
        }
        fires.append(']');
        return json.append("\"parse_ok\":true,\"error\":null,\"eval_error\":").append(str(evalError))
                .append(",\"timeout\":false,\"fires\":").append(fires).append('}').toString();
    }

    private static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
