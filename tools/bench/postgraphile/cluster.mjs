// PostGraphile v5 as its documentation advises for production: one Node process per core,
// behind Node's cluster module (the primary hands each connection to a worker, round robin),
// GRAPHILE_ENV=production, the amber preset. The benchmark runs it beside the single-process
// CLI and compares us with the better of the two.
//
//   node cluster.mjs <connection string> <port> [workers]
import cluster from "node:cluster";
import { createServer } from "node:http";
import { availableParallelism } from "node:os";

const [connectionString, port, workers] = process.argv.slice(2);
const count = Number(workers) || availableParallelism();

if (cluster.isPrimary) {
  for (let i = 0; i < count; i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  console.log(`PostGraphile cluster: ${count} workers on 127.0.0.1:${port}`);
} else {
  const { postgraphile } = await import("postgraphile");
  const { grafserv } = await import("postgraphile/grafserv/node");
  const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
  const { makePgService } = await import("postgraphile/adaptors/pg");
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ connectionString, schemas: ["public"] })],
    grafserv: { port: Number(port), host: "127.0.0.1" },
  });
  const server = createServer();
  server.on("error", (error) => {
    console.error(error);
    process.exit(1);
  });
  await pgl.createServ(grafserv).addTo(server);
  server.listen({ port: Number(port), host: "127.0.0.1" });
}
