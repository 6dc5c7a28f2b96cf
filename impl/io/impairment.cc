#include "impl/io/impairment.h"

#include <algorithm>
#include <charconv>

namespace tcpref::io {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, seedable, good enough to
// decide which packets to impair.
uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// "3%", "0.5%", "100%" → parts per million.
std::optional<uint32_t> parse_percent(std::string_view text) {
  if (text.size() < 2 || text.back() != '%') return std::nullopt;
  text.remove_suffix(1);
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  std::string_view frac =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || (dot != std::string_view::npos && frac.empty()) ||
      frac.size() > 4) {
    return std::nullopt;
  }
  uint32_t ppm = 0;
  for (char c : whole) {
    if (c < '0' || c > '9' || ppm > 100 * 10000) return std::nullopt;
    ppm = ppm * 10 + static_cast<uint32_t>(c - '0');
  }
  ppm *= 10000;
  uint32_t scale = 1000;
  for (char c : frac) {
    if (c < '0' || c > '9') return std::nullopt;
    ppm += static_cast<uint32_t>(c - '0') * scale;
    scale /= 10;
  }
  if (ppm > 1000000) return std::nullopt;
  return ppm;
}

std::optional<uint64_t> parse_u64(std::string_view text) {
  uint64_t v = 0;
  const auto [end, ec] =
      std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return v;
}

std::optional<Time> parse_delay(std::string_view text) {
  uint64_t unit_us = 0;
  if (text.ends_with("ms")) {
    unit_us = 1000;
  } else if (text.ends_with("us")) {
    unit_us = 1;
  } else {
    return std::nullopt;
  }
  text.remove_suffix(2);
  const auto v = parse_u64(text);
  if (!v || *v > 10'000'000) return std::nullopt;
  return Time(static_cast<int64_t>(*v * unit_us));
}

std::string percent_text(uint32_t ppm) {
  std::string s = std::to_string(ppm / 10000);
  if (uint32_t frac = ppm % 10000; frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, 4 - f.size(), '0');
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  return s + "%";
}

}  // namespace

Result<ImpairmentConfig> parse_impairment(std::string_view spec) {
  using R = Result<ImpairmentConfig>;
  ImpairmentConfig config;
  if (spec.starts_with(',') || spec.ends_with(',')) {
    return R::failure("impairment list has an empty item");
  }
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view()
                                           : spec.substr(comma + 1);
    const size_t eq = item.find('=');
    if (item.empty()) return R::failure("impairment list has an empty item");
    if (eq == std::string_view::npos) {
      return R::failure("impairment item '" + std::string(item) +
                        "' is not key=value");
    }
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    const std::string bad =
        "bad value for " + std::string(key) + ": '" + std::string(value) + "'";
    if (key == "loss" || key == "reorder" || key == "duplicate") {
      const auto ppm = parse_percent(value);
      if (!ppm) return R::failure(bad + " (want a percentage like 3% or 0.5%)");
      (key == "loss"      ? config.loss_ppm
       : key == "reorder" ? config.reorder_ppm
                          : config.duplicate_ppm) = *ppm;
    } else if (key == "seed") {
      const auto seed = parse_u64(value);
      if (!seed) return R::failure(bad + " (want an unsigned integer)");
      config.seed = *seed;
    } else if (key == "delay") {
      const auto delay = parse_delay(value);
      if (!delay) return R::failure(bad + " (want e.g. 2ms or 500us)");
      config.reorder_delay = *delay;
    } else {
      return R::failure("unknown impairment '" + std::string(key) +
                        "' (known: loss, reorder, duplicate, seed, delay)");
    }
  }
  return config;
}

std::string to_string(const ImpairmentConfig& config) {
  return "loss=" + percent_text(config.loss_ppm) +
         ",reorder=" + percent_text(config.reorder_ppm) +
         ",duplicate=" + percent_text(config.duplicate_ppm) +
         ",seed=" + std::to_string(config.seed) +
         ",delay=" + std::to_string(config.reorder_delay.count()) + "us";
}

Impairment::Impairment(const ImpairmentConfig& config, uint64_t stream,
                       size_t max_packet)
    : config_(config), state_(config.seed ^ (stream * 0xd1342543de82ef95ull)) {
  held_.reserve(max_packet);
}

bool Impairment::roll(uint32_t ppm) {
  if (ppm == 0) return false;
  return splitmix64(state_) % 1'000'000 < ppm;
}

void Impairment::process(std::span<const uint8_t> packet, Time now,
                         PacketOut& out) {
  ++stats_.passed;
  // Roll every die for every packet so one decision never shifts the
  // sequence of the others.
  const bool lose = roll(config_.loss_ppm);
  const bool hold = roll(config_.reorder_ppm);
  const bool duplicate = roll(config_.duplicate_ppm);
  if (lose) {
    ++stats_.dropped;
    return;
  }
  if (hold && !held_until_ && packet.size() <= held_.capacity()) {
    held_.assign(packet.begin(), packet.end());
    held_until_ = now + config_.reorder_delay;
    return;
  }
  out.deliver(packet);
  if (duplicate) {
    ++stats_.duplicated;
    out.deliver(packet);
  }
  if (held_until_) {
    ++stats_.reordered;
    held_until_.reset();
    out.deliver(held_);
  }
}

void Impairment::release_due(Time now, PacketOut& out) {
  if (held_until_ && *held_until_ <= now) {
    ++stats_.delayed;
    held_until_.reset();
    out.deliver(held_);
  }
}

std::optional<Time> Impairment::next_deadline() const { return held_until_; }

}  // namespace tcpref::io
