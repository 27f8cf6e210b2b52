-- Standard query (d-nested): see tools/bench/queries/d-nested.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/d-nested.graphql")
