-- Standard query (g-peers): see tools/bench/queries/g-peers.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/g-peers.graphql")
