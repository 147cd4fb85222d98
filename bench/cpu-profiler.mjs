// Node 20 refuses --cpu-prof in NODE_OPTIONS, so bench/profile.ts preloads this instead
// (NODE_OPTIONS=--import=<this file>, inherited by `next start` and its next-server child). It
// samples the whole process with the inspector's profiler and writes
// $BENCH_CPU_PROFILE_DIR/<pid>.cpuprofile when the process exits or receives SIGTERM.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // A same-thread inspector session answers synchronously, so this works in an exit handler.
    session.post("Profiler.stop", (error, result) => {
      if (!error && result) writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  process.on("SIGTERM", () => {
    write();
    // Keep the default behaviour (terminate) unless the program handles SIGTERM itself.
    if (process.listenerCount("SIGTERM") === 1) process.exit(143);
  });
}
