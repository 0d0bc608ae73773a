import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with the Bolt connector on 127.0.0.1, for pairnet's tests.
 *
 * <p>Arguments: the data folder and the Bolt port. The password of the user {@code neo4j}
 * comes from the environment ({@code PAIRNET_NEO4J_PASSWORD}) so that it never shows in
 * the process list; the page cache size from {@code PAIRNET_NEO4J_PAGECACHE} (default
 * 512m). Prints {@code pairnet-neo4j ready} once Bolt accepts connections and shuts the
 * databases down cleanly on SIGTERM.
 */
public final class Launcher {
    private Launcher() {}

    /**
     * The built-in user starts with password "neo4j" and must change it at first login;
     * setting it at every start (so that a changed PAIRNET_NEO4J_PASSWORD takes effect)
     * makes the server usable by drivers at once.
     */
    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to set the password it already has: nothing to do.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: Launcher DATA_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv().getOrDefault("PAIRNET_NEO4J_PASSWORD", "pairnet-test-password");
        String pageCache = System.getenv().getOrDefault("PAIRNET_NEO4J_PAGECACHE", "512m");

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                // Tests write and discard a lot; old transaction logs are of no use to them.
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.shutdown();
            stopped.countDown();
        }, "pairnet-neo4j-shutdown"));

        try {
            setPassword(service, password);
        } catch (RuntimeException e) {
            e.printStackTrace();
            System.exit(1); // runs the shutdown hook; Neo4j's own threads would keep us alive
        }

        System.out.println("pairnet-neo4j ready on bolt://127.0.0.1:" + port + " data " + home);
        System.out.flush();
        stopped.await();
    }
}
