package se.nestit.audience.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark for every test in the JVM, on two cores as the build machines have: starting
 * one costs seconds. The build finds it as the active session and leaves it running.
 */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("audience-exporter tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                    .getOrCreate();
        }
        SparkSession.setActiveSession(session);
        return session;
    }
}
