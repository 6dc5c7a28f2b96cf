// One test per property: proven for all 32-bit values, its mutant refuted
// with a counterexample, its premise reachable. Traces go to the test log.
#include <gtest/gtest.h>

#include <cstdio>

#include "proofs/check.h"
#include "proofs/properties.h"

namespace tcpref::proofs {
namespace {

void expect_property(int number) {
  const Property& prop = property(number);
  Report r = check(prop);
  std::printf("%s\n(proof %.0f ms, witness %.0f ms, mutant %.0f ms)\n",
              summary_line(r).c_str(), r.proof_ms, r.witness_ms, r.mutant_ms);
  std::printf("mutant %s counterexample:\n%s\nwitness:\n%s\n",
              model::name(prop.mutant).data(), r.mutant.trace.c_str(),
              r.witness.trace.c_str());
  EXPECT_TRUE(r.proved) << prop.statement << "\n" << r.failure;
  EXPECT_TRUE(r.mutant.ok) << "mutant " << model::name(prop.mutant)
                           << " was not refuted";
  EXPECT_TRUE(r.witness.ok) << "premise not reachable";
}

#define TCPREF_PROPERTY_TEST(n) \
  TEST(Property, Number##n) { expect_property(n); }

TCPREF_PROPERTY_TEST(1)
TCPREF_PROPERTY_TEST(2)
TCPREF_PROPERTY_TEST(3)
TCPREF_PROPERTY_TEST(4)
TCPREF_PROPERTY_TEST(5)
TCPREF_PROPERTY_TEST(6)
TCPREF_PROPERTY_TEST(7)
TCPREF_PROPERTY_TEST(8)
TCPREF_PROPERTY_TEST(9)
TCPREF_PROPERTY_TEST(10)
TCPREF_PROPERTY_TEST(11)
TCPREF_PROPERTY_TEST(12)
TCPREF_PROPERTY_TEST(13)

}  // namespace
}  // namespace tcpref::proofs
