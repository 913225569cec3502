// Where the event-streamer distribution is: $EVENT_STREAMER_HOME, else the one this repository
// builds (mvn -DskipTests install puts it in distribution/target/event-streamer).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function eventStreamerHome() {
  const home = process.env.EVENT_STREAMER_HOME
    || fileURLToPath(new URL('../../../../distribution/target/event-streamer', import.meta.url));
  if (!existsSync(`${home}/bin/event-streamer`)) {
    throw new Error(`no distribution at ${home}: build it with "mvn -DskipTests install" at the repository's `
      + 'root, or set EVENT_STREAMER_HOME');
  }
  return home;
}
