// Three-valued logic (Kleene's strong tables).
#pragma once

#include <cstdint>

namespace aipol {

enum class Tri : uint8_t { False = 0, True = 1, Unknown = 2 };

inline Tri MakeTri(bool b) { return b ? Tri::True : Tri::False; }

// Kleene `and`: a known false operand decides the result even when the other
// is unknown.
inline Tri And(Tri a, Tri b) {
  if (a == Tri::False || b == Tri::False) return Tri::False;
  if (a == Tri::True && b == Tri::True) return Tri::True;
  return Tri::Unknown;
}

// Kleene `or`: a known true operand decides the result.
inline Tri Or(Tri a, Tri b) {
  if (a == Tri::True || b == Tri::True) return Tri::True;
  if (a == Tri::False && b == Tri::False) return Tri::False;
  return Tri::Unknown;
}

inline Tri Not(Tri a) {
  if (a == Tri::Unknown) return Tri::Unknown;
  return a == Tri::True ? Tri::False : Tri::True;
}

inline Tri Implies(Tri a, Tri b) { return Or(Not(a), b); }

}  // namespace aipol
