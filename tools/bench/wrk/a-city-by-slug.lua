-- Standard query (a-city-by-slug): see tools/bench/queries/a-city-by-slug.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/a-city-by-slug.graphql")
