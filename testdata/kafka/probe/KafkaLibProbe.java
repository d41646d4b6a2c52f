// KafkaLibProbe runs the libraries Kafka 3.9 hands ZooKeeper data to, so the
// corpus's expectations about them come from the libraries themselves, not
// from a reading of their documentation. conformance/library_test.go runs it:
//
//   java -cp /usr/share/java/jackson-databind.jar:/usr/share/java/jackson-core.jar:\
//     /usr/share/java/jackson-annotations.jar:/usr/share/java/zookeeper.jar KafkaLibProbe.java
//
// Each input line is "probe<TAB>id<TAB>base64 input" ("-" for null input);
// each output line is "id<TAB>result". Probes:
//
//   jackson-tree    new ObjectMapper().readTree(bytes), as Kafka's Json.parseBytes and
//                   Json.tryParseBytes (core/src/main/scala/kafka/utils/Json.scala:50-56) and the
//                   Java Json.parseBytes AclEntry uses: the node class and the tree as Jackson
//                   writes it back, or "throws:<exception class>".
//   zookeeper-path  org.apache.zookeeper.common.PathUtils.validatePath, which the ZooKeeper client
//                   runs before every request: "valid" or "throws:<exception class>".
//   jackson-acl-change-event
//                   Json.parseBytesAs[ExtendedAclChangeEvent] (ZkData.scala:754): readValue into a
//                   class shaped as Kafka's case class (ZkData.scala:777-783, constructor properties
//                   annotated @JsonProperty, version > 1 throwing): the fields, or the exception.
//   jackson-reassignment
//                   Json.parseBytesAs[LegacyPartitionAssignment] (ZkData.scala:541), likewise.
//   kafka-uuid      Kafka's Uuid.fromString (clients/.../common/Uuid.java:136): length check,
//                   java.util.Base64's URL decoder, 16 bytes; prints Uuid.toString or throws.
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

public class KafkaLibProbe {
    private static final ObjectMapper MAPPER = new ObjectMapper(); // Kafka's Json: a default ObjectMapper

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            byte[] input = f[2].equals("-") ? null : Base64.getDecoder().decode(f[2]);
            String result;
            try {
                result = probe(f[0], input);
            } catch (Exception e) {
                result = "throws:" + e.getClass().getSimpleName();
            }
            System.out.println(f[1] + "\t" + result.replace("\n", "\\n"));
        }
    }

    private static String probe(String probe, byte[] input) throws Exception {
        switch (probe) {
            case "jackson-tree": {
                JsonNode node = MAPPER.readTree(input);
                if (node == null) {
                    return "null";
                }
                return node.getClass().getSimpleName() + " " + MAPPER.writeValueAsString(node);
            }
            case "jackson-acl-change-event": {
                AclChangeEvent e = MAPPER.readValue(input, AclChangeEvent.class);
                return "version=" + e.version + " resourceType=" + e.resourceType + " name=" + e.name + " patternType=" + e.patternType;
            }
            case "jackson-reassignment": {
                LegacyPartitionAssignment a = MAPPER.readValue(input, LegacyPartitionAssignment.class);
                StringBuilder b = new StringBuilder("version=" + a.version + " partitions=");
                if (a.partitions == null) {
                    return b.append("null").toString();
                }
                for (ReplicaAssignment r : a.partitions) {
                    b.append(r.topic).append('-').append(r.partition).append(r.replicas).append(';');
                }
                return b.toString();
            }
            case "zookeeper-path":
                org.apache.zookeeper.common.PathUtils.validatePath(new String(input, StandardCharsets.UTF_8));
                return "valid";
            case "kafka-uuid": {
                String str = new String(input, StandardCharsets.UTF_8);
                if (str.length() > 24) {
                    throw new IllegalArgumentException("too long");
                }
                ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(str));
                if (b.remaining() != 16) {
                    throw new IllegalArgumentException("not 16 bytes");
                }
                return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            }
            default:
                throw new IllegalArgumentException("unknown probe " + probe);
        }
    }

    // AclChangeEvent has the shape of Kafka's ExtendedAclChangeEvent.
    public static class AclChangeEvent {
        final int version;
        final String resourceType, name, patternType;

        public AclChangeEvent(@JsonProperty("version") int version, @JsonProperty("resourceType") String resourceType,
                              @JsonProperty("name") String name, @JsonProperty("patternType") String patternType) {
            if (version > 1) {
                throw new UnsupportedOperationException("Acl change event received for unsupported version: " + version);
            }
            this.version = version;
            this.resourceType = resourceType;
            this.name = name;
            this.patternType = patternType;
        }
    }

    // LegacyPartitionAssignment and ReplicaAssignment have the shape of
    // ReassignPartitionsZNode's (Scala's List[Int] erases to List<Object>).
    public static class LegacyPartitionAssignment {
        final int version;
        final List<ReplicaAssignment> partitions;

        public LegacyPartitionAssignment(@JsonProperty("version") int version, @JsonProperty("partitions") List<ReplicaAssignment> partitions) {
            this.version = version;
            this.partitions = partitions;
        }
    }

    public static class ReplicaAssignment {
        final String topic;
        final int partition;
        final List<Object> replicas;

        public ReplicaAssignment(@JsonProperty("topic") String topic, @JsonProperty("partition") int partition,
                                 @JsonProperty("replicas") List<Object> replicas) {
            this.topic = topic;
            this.partition = partition;
            this.replicas = replicas;
        }
    }
}
