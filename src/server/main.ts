import { ConfigError, loadConfig } from "./config";
import { MigrationError } from "./db/migrate";
import { StoreLockedError } from "./db/store-lock";
import { startServer } from "./start-server";

// loadConfig throws a ConfigError of its own: inside the promise, so it is reported like a store that failed.
Promise.resolve()
  .then(() => startServer(loadConfig()))
  .catch((error: unknown) => {
    if (
      error instanceof ConfigError ||
      error instanceof MigrationError ||
      error instanceof StoreLockedError
    ) {
      console.error(`Rapport could not start. ${error.message}`);
    } else {
      console.error("Rapport could not start:", error);
    }
    process.exit(1);
  });
