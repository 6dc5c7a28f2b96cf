#include "impl/wire/checksum.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

#include "impl/wire/bytes.h"

namespace tcpref::wire {
namespace {

using Bytes = std::vector<uint8_t>;

// An obviously-correct reference: RFC 1071 §4.1's loop over an explicit
// pseudo-header + segment copy with the checksum field zeroed.
uint16_t reference_tcp_checksum(uint32_t src, uint32_t dst, Bytes segment) {
  Bytes all(12);
  store_be32(all, 0, src);
  store_be32(all, 4, dst);
  all[9] = 6;
  store_be16(all, 10, static_cast<uint16_t>(segment.size()));
  segment[16] = segment[17] = 0;
  all.insert(all.end(), segment.begin(), segment.end());
  if (all.size() % 2) all.push_back(0);
  uint32_t sum = 0;
  for (size_t i = 0; i < all.size(); i += 2) {
    sum += load_be16(all, i);
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum);
}

rc::Gen<Bytes> gen_tcp_segment_bytes() {
  return rc::gen::suchThat(rc::gen::arbitrary<Bytes>(),
                           [](const Bytes& b) { return b.size() >= 20; });
}

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 after the carry.
  const Bytes b = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_add(0, b), 0xddf2u);
  EXPECT_EQ(internet_checksum(b), 0x220d);
}

TEST(Checksum, KnownIpv4Header) {
  // 192.168.0.1 → 192.168.0.199, UDP, total length 115, DF: checksum b861.
  Bytes h = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
             0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(internet_checksum(h), 0xb861);
  store_be16(h, 10, 0xb861);
  EXPECT_EQ(internet_checksum(h), 0);
}

TEST(Checksum, OddLengthIsPaddedWithZero) {
  const Bytes odd = {0x12, 0x34, 0xab};
  const Bytes padded = {0x12, 0x34, 0xab, 0x00};
  EXPECT_EQ(internet_checksum(odd), internet_checksum(padded));
  EXPECT_EQ(checksum_add(0, odd), 0x12u * 256 + 0x34 + 0xab00);
}

TEST(Checksum, EmptyInputIsAllOnes) {
  EXPECT_EQ(internet_checksum({}), 0xffff);
}

TEST(Checksum, Rfc1624Example) {
  // RFC 1624 §4: eqn. 3 gives 0x0000 where eqn. 2 would give 0xffff.
  EXPECT_EQ(checksum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

TEST(Checksum, ZeroChecksumVerifiesInBothRepresentations) {
  // Make a segment whose data sums to 0xffff, so its checksum is 0x0000;
  // a sender storing the other zero, 0xffff, must verify too (RFC 1624 §3).
  const uint32_t src = 0xc6120001, dst = 0xc6120002;
  Bytes seg(24, 0);
  seg[0] = 0x9c;
  seg[12] = 0x50;
  seg[20] = 0x77;
  // The last word balances the rest: word = ~sum(rest).
  store_be16(seg, 22, tcp_checksum(src, dst, seg));
  ASSERT_EQ(tcp_checksum(src, dst, seg), 0x0000);
  EXPECT_TRUE(tcp_checksum_ok(src, dst, seg));
  store_be16(seg, 16, 0xffff);
  EXPECT_TRUE(tcp_checksum_ok(src, dst, seg));
  store_be16(seg, 16, 0xfffe);
  EXPECT_FALSE(tcp_checksum_ok(src, dst, seg));
}

RC_GTEST_PROP(Checksum, ChainedEvenPiecesEqualWhole,
              (const Bytes& a, const Bytes& b)) {
  Bytes even = a;
  if (even.size() % 2) even.pop_back();
  Bytes whole = even;
  whole.insert(whole.end(), b.begin(), b.end());
  RC_ASSERT(checksum_add(checksum_add(0, even), b) == checksum_add(0, whole));
}

RC_GTEST_PROP(Checksum, PseudoHeaderMatchesExplicitBytes,
              (uint32_t src, uint32_t dst, uint8_t protocol, uint16_t len)) {
  Bytes ph(12, 0);
  store_be32(ph, 0, src);
  store_be32(ph, 4, dst);
  ph[9] = protocol;
  store_be16(ph, 10, len);
  RC_ASSERT(checksum_fold(pseudo_header_sum(src, dst, protocol, len)) ==
            internet_checksum(ph));
}

RC_GTEST_PROP(Checksum, TcpChecksumMatchesReference,
              (uint32_t src, uint32_t dst)) {
  const Bytes seg = *gen_tcp_segment_bytes();
  RC_ASSERT(tcp_checksum(src, dst, seg) ==
            reference_tcp_checksum(src, dst, seg));
}

RC_GTEST_PROP(Checksum, FilledChecksumVerifies, (uint32_t src, uint32_t dst)) {
  Bytes seg = *gen_tcp_segment_bytes();
  store_be16(seg, 16, tcp_checksum(src, dst, seg));
  RC_ASSERT(tcp_checksum_ok(src, dst, seg));
}

RC_GTEST_PROP(Checksum, WrongChecksumFails,
              (uint32_t src, uint32_t dst, uint16_t delta)) {
  RC_PRE(delta != 0);
  Bytes seg = *gen_tcp_segment_bytes();
  const uint16_t good = tcp_checksum(src, dst, seg);
  const uint16_t bad = static_cast<uint16_t>(good + delta);
  RC_PRE(!(good == 0 && bad == 0xffff));  // the other zero verifies
  store_be16(seg, 16, bad);
  RC_ASSERT(!tcp_checksum_ok(src, dst, seg));
}

RC_GTEST_PROP(Checksum, Update16MatchesRecompute, (uint16_t new_value)) {
  // An IPv4-like header: the version nibble keeps the data sum nonzero.
  Bytes h = *rc::gen::container<Bytes>(20, rc::gen::arbitrary<uint8_t>());
  h[0] = 0x45;
  store_be16(h, 10, 0);
  store_be16(h, 10, internet_checksum(h));
  const size_t word = 2 * *rc::gen::elementOf(std::vector<size_t>{
                              1, 2, 3, 4, 6, 7, 8, 9});  // not 0 or 5
  const uint16_t old_value = load_be16(h, word);
  const uint16_t incremental =
      checksum_update16(load_be16(h, 10), old_value, new_value);
  store_be16(h, word, new_value);
  store_be16(h, 10, 0);
  RC_ASSERT(incremental == internet_checksum(h));
}

RC_GTEST_PROP(Checksum, Update32MatchesRecompute,
              (uint32_t src, uint32_t dst, uint32_t new_seq)) {
  Bytes seg = *gen_tcp_segment_bytes();
  store_be16(seg, 16, tcp_checksum(src, dst, seg));
  const uint16_t incremental =
      checksum_update32(load_be16(seg, 16), load_be32(seg, 4), new_seq);
  store_be32(seg, 4, new_seq);
  RC_ASSERT(incremental == tcp_checksum(src, dst, seg));
  store_be16(seg, 16, incremental);
  RC_ASSERT(tcp_checksum_ok(src, dst, seg));
}

}  // namespace
}  // namespace tcpref::wire
