package se.nestit.audience;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.net.URLConnection;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import se.nestit.audience.cli.Main;
import se.nestit.audience.guardrail.GuardrailLimits;

/** The dependencies between the packages of the main code, as they are and are meant to stay. */
@AnalyzeClasses(locations = ArchitectureTest.MainClasses.class, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The main code's classes only: scanning the whole classpath (Spark's jars) for a package takes long. */
    static final class MainClasses implements LocationProvider {
        @Override
        public Set<Location> get(Class<?> testClass) {
            return Set.of(
                    Location.of(Main.class.getProtectionDomain().getCodeSource().getLocation()));
        }
    }

    private static final String ROOT = "se.nestit.audience.";

    /**
     * The packages from the top down: each may use only those below it. The run goes cli, pipeline,
     * destination, sync, segment, consent, source, identity; the others sit where their users and
     * their own dependencies put them.
     */
    private static final List<String> LAYERS = List.of(
            "spark",
            "cli",
            "generate",
            "pipeline",
            "desired",
            "destination",
            "guardrail",
            "sync",
            "segment",
            "config",
            "audit",
            "consent",
            "source",
            "report",
            "io",
            "identity");

    @ArchTest
    static final ArchRule EACH_PACKAGE_USES_ONLY_THOSE_BELOW_IT = layers();

    @ArchTest
    static final ArchRule THE_NETWORKS_DO_NOT_USE_EACH_OTHER = slices().matching(ROOT + "destination.(*)..")
            .namingSlices("destination.$1")
            .should()
            .notDependOnEachOther();

    /** Spark is on the classpath only under spark-submit (provided scope); the plain jar runs without it. */
    @ArchTest
    static final ArchRule ONLY_THE_SPARK_RUNNER_USES_SPARK = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + "spark..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ROOT + "spark..", "org.apache.spark..", "org.apache.hadoop..", "scala..");

    @ArchTest
    static final ArchRule ONLY_DESTINATIONS_TALK_TO_A_NETWORK = noClasses()
            .that()
            .resideOutsideOfPackage(ROOT + "destination..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "java.net.http..",
                    "javax.net..",
                    "io.grpc..",
                    "com.google.ads..",
                    "com.google.api.gax..",
                    "com.google.auth..",
                    "com.facebook..")
            .orShould()
            .dependOnClassesThat(belongToAnyOf(
                    Socket.class,
                    ServerSocket.class,
                    DatagramSocket.class,
                    URL.class,
                    URLConnection.class,
                    SocketChannel.class,
                    ServerSocketChannel.class,
                    DatagramChannel.class,
                    AsynchronousSocketChannel.class));

    /**
     * google-ads 42.1.0 cannot run without the stubs of every version it was built with (v20 to v23:
     * its version catalog and header provider load them), so the sunset versions are on the
     * classpath. Our code must speak v23 only.
     */
    @ArchTest
    static final ArchRule ONLY_THE_LIVE_GOOGLE_ADS_API_VERSION = noClasses()
            .should()
            .dependOnClassesThat(DescribedPredicate.describe(
                    "are in a Google Ads API version other than v23",
                    (JavaClass c) -> Pattern.matches(
                            "com\\.google\\.ads\\.googleads\\.v(?!23(\\.|$))[0-9]+(\\..*)?", c.getPackageName())));

    private static ArchRule layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : LAYERS) {
            rule = rule.layer(layer).definedBy(ROOT + layer + "..");
        }
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            rule = rule.whereLayer(LAYERS.get(i))
                    .mayOnlyAccessLayers(LAYERS.subList(i + 1, LAYERS.size()).toArray(String[]::new));
        }
        rule = rule.whereLayer(LAYERS.get(LAYERS.size() - 1)).mayNotAccessAnyLayer();
        // The one exception: the guardrails' limits are configuration but live in guardrail, which
        // itself stands above sync (it reads and writes the last sync's count in the state directory).
        return rule.ignoreDependency(resideInAPackage(ROOT + "config"), belongToAnyOf(GuardrailLimits.class));
    }
}
