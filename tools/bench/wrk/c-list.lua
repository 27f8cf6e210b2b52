-- Standard query (c-list): see tools/bench/queries/c-list.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/c-list.graphql")
