package se.nestit.audience.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop settings (credentials for s3a:, gs: and the like included) for tasks that
 * open files themselves; Hadoop's Configuration is not serializable.
 */
final class HadoopConf implements Serializable {

    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> entries = new HashMap<>();
    private transient Configuration conf;

    HadoopConf(Configuration conf) {
        for (Map.Entry<String, String> e : conf) {
            entries.put(e.getKey(), e.getValue());
        }
    }

    synchronized Configuration get() {
        if (conf == null) {
            conf = new Configuration(false);
            entries.forEach(conf::set);
        }
        return conf;
    }
}
