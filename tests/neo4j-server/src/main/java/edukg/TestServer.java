package edukg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j DBMS for edukg's tests: Bolt on 127.0.0.1 only, no HTTP, authentication on.
 *
 * <p>Usage: {@code TestServer HOME [PORT]} with the password in NEO4J_PASSWORD. HOME holds the
 * data and logs; PORT 0 (the default) takes a free port. Once the password is set and Bolt
 * listens, the URI is written to HOME/bolt.uri; SIGTERM shuts the DBMS down cleanly, and so
 * does the end of the process EDUKG_NEO4J_OWNER names (a test run killed before its clean-up).
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws Exception {
        // The DBMS's threads would keep a failed start alive: any error ends the process
        Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> {
            error.printStackTrace();
            System.exit(1);
        });
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TestServer HOME [PORT] (password in NEO4J_PASSWORD)");
            System.exit(2);
        }
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.length() < 8) {
            // Neo4j refuses passwords shorter than 8 characters
            System.err.println("TestServer: set NEO4J_PASSWORD (8 characters or more)");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        Path uriFile = home.resolve("bolt.uri");
        Files.deleteIfExists(uriFile);

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // Bolt waits 5 s twice for connections and threads at shutdown: tests close theirs first
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(200))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(200))
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
                // Planning a statement costs more than running it on test data: a plan made on the
                // empty database is kept rather than made again once the first load changed the counts
                .setConfig(GraphDatabaseSettings.query_statistics_divergence_threshold, 1.0)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }));
        String owner = System.getenv("EDUKG_NEO4J_OWNER");
        if (owner != null && !owner.isEmpty()) {
            ProcessHandle.of(Long.parseLong(owner)).ifPresentOrElse(
                    process -> process.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }

        // The built-in user gets this run's password before bolt.uri tells anyone where to connect
        // (until then its default password neo4j only allows a password change).
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (QueryExecutionException error) {
            // A restart on the same data with the same password: Neo4j refuses to "change" it
            if (!error.getMessage().contains("cannot be the same")) {
                System.err.println("TestServer: cannot set the password: " + error.getMessage());
                System.exit(1);
            }
        }

        GraphDatabaseAPI system = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        var bolt = system.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        String uri = "bolt://127.0.0.1:" + bolt.getPort();
        Path partial = home.resolve("bolt.uri.partial");
        Files.writeString(partial, uri + "\n");
        Files.move(partial, uriFile, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("Neo4j " + org.neo4j.kernel.internal.Version.getNeo4jVersion() + " ready: " + uri);
        stopped.await();
    }
}
