#include "impl/tcp/testing/link.h"

#include <algorithm>

namespace tcpref::tcp::testing {

namespace {
// SplitMix64: small, fast, and the same on every platform, so a seed
// names one schedule everywhere.
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
}  // namespace

ImpairmentSchedule::ImpairmentSchedule(const LinkImpairments& impairments,
                                       uint64_t seed)
    : impairments_(impairments), state_(seed) {}

uint64_t ImpairmentSchedule::draw() { return splitmix64(state_); }

Time ImpairmentSchedule::jitter() {
  const auto window = static_cast<uint64_t>(
      std::max<int64_t>(impairments_.reorder_window.count(), 1));
  return Time{1 + static_cast<int64_t>(draw() % window)};
}

PacketFate ImpairmentSchedule::next(Time sent) {
  // Every roll is drawn for every packet so that one knob does not shift
  // the random sequence the others see.
  const bool lost = roll(impairments_.loss_ppm);
  const bool reordered = roll(impairments_.reorder_ppm);
  const bool duplicated = roll(impairments_.duplicate_ppm);
  const Time first_jitter = jitter();
  const Time second_jitter = jitter();
  PacketFate fate;
  if (lost) return fate;
  const Time arrive = sent + impairments_.delay;
  fate.arrive[fate.copies++] = reordered ? arrive + first_jitter : arrive;
  fate.reordered = reordered;
  if (duplicated) fate.arrive[fate.copies++] = arrive + second_jitter;
  return fate;
}

Link::Link(const StackConfig& a, const StackConfig& b, const LinkConfig& config)
    : config_(config),
      now_(config.start),
      sinks_{Sink(*this, Side::kA), Sink(*this, Side::kB)},
      schedules_{ImpairmentSchedule(config.a_to_b, config.seed),
                 // A different stream for the other direction.
                 ImpairmentSchedule(config.b_to_a,
                                    config.seed ^ 0xD1B54A32D192ED03ull)},
      stacks_{std::make_unique<Stack>(a, sinks_[0]),
              std::make_unique<Stack>(b, sinks_[1])} {}

bool Link::later(const InFlight& x, const InFlight& y) {
  if (x.arrive != y.arrive) return x.arrive > y.arrive;
  return x.order > y.order;
}

void Link::send_from(Side from, std::span<const uint8_t> packet) {
  LinkStats& s = stats_[static_cast<int>(from)];
  ++s.sent;
  const PacketFate fate = schedules_[static_cast<int>(from)].next(now_);
  if (fate.copies == 0) ++s.lost;
  if (fate.copies == 2) ++s.duplicated;
  if (fate.reordered) ++s.reordered;
  for (uint8_t i = 0; i < fate.copies; ++i) {
    if (wire_.size() >= config_.max_in_flight) {
      ++s.overflow;
      continue;
    }
    wire_.push_back({fate.arrive[i], order_++, from,
                     std::vector<uint8_t>(packet.begin(), packet.end())});
    std::push_heap(wire_.begin(), wire_.end(), later);
  }
}

void Link::deliver_due() {
  while (!wire_.empty() && wire_.front().arrive <= now_) {
    std::pop_heap(wire_.begin(), wire_.end(), later);
    InFlight p = std::move(wire_.back());
    wire_.pop_back();
    ++stats_[static_cast<int>(p.from)].delivered;
    if (tap_) tap_(p.from, p.packet, now_);
    Stack& to = p.from == Side::kA ? b() : a();
    (void)to.receive(p.packet, now_);
  }
}

bool Link::run_until(const std::function<bool()>& done, Time limit) {
  for (uint64_t step = 0;; ++step) {
    if (done()) return true;
    if (step >= config_.max_steps) return false;
    std::optional<Time> next;
    auto consider = [&](std::optional<Time> t) {
      if (t && (!next || *t < *next)) next = t;
    };
    if (!wire_.empty()) consider(wire_.front().arrive);
    consider(a().next_timer());
    consider(b().next_timer());
    if (!next || *next > limit) {
      now_ = std::max(now_, limit);
      return done();
    }
    now_ = std::max(now_, *next);
    deliver_due();
    a().advance(now_);
    b().advance(now_);
  }
}

}  // namespace tcpref::tcp::testing
