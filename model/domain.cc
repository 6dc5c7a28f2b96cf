#include "model/domain.h"

#include <initializer_list>

namespace tcpref::model {

// A keyed 32-bit mix (murmur3 finalizer rounds). Only a stand-in: the model
// needs some fixed MAC to be executable; it is not meant to be secure.
Concrete::Word Concrete::cookie_hash(Word key, Word saddr, Word daddr,
                                     Word sport, Word dport, Word seq,
                                     Word count) {
  uint32_t h = key ^ 0x9e3779b9u;
  for (uint32_t v : {saddr, daddr, sport, dport, seq, count}) {
    h ^= v;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
  }
  return h;
}

}  // namespace tcpref::model
