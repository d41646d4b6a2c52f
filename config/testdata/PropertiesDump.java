// Prints what java.util.Properties.load makes of each file named on the
// command line, reading it as UTF-8: one line per file, the file name, then
// tab-separated quoted keys and values, or ERROR. Used by TestJavaAgrees.
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.TreeMap;

public class PropertiesDump {
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
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

    public static void main(String[] args) throws Exception {
        for (String f : args) {
            Properties p = new Properties();
            try (Reader r = new InputStreamReader(new FileInputStream(f), StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IllegalArgumentException e) {
                System.out.println(f + "\tERROR");
                continue;
            }
            StringBuilder line = new StringBuilder(f);
            for (var e : new TreeMap<>(p).entrySet()) {
                line.append('\t').append(quote((String) e.getKey()));
                line.append('\t').append(quote((String) e.getValue()));
            }
            System.out.println(line);
        }
    }
}
