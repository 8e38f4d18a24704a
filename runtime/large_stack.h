// A thread with a large stack, for work that recurses as deep as a policy
// goes: the interpreter and the checker recurse once per nested expression
// and once per definition a definition uses, so a long chain of definitions
// needs far more than the 8 MiB a thread gets by default.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <functional>

namespace aipol {

// Address space only: pages are committed as the stack grows.
inline constexpr size_t kLargeStackBytes = size_t{1} << 30;

class LargeStackThread {
 public:
  // Starts `body` on a new thread with a kLargeStackBytes stack; when no
  // such thread can be made, on one with the default stack, and failing
  // that runs it on the caller's thread.
  explicit LargeStackThread(std::function<void()> body);
  ~LargeStackThread();  // joins
  LargeStackThread(LargeStackThread&& other) noexcept;
  LargeStackThread(const LargeStackThread&) = delete;
  LargeStackThread& operator=(const LargeStackThread&) = delete;
  LargeStackThread& operator=(LargeStackThread&&) = delete;

  void Join();

 private:
  std::function<void()>* body_ = nullptr;  // owned; freed on Join
  pthread_t thread_{};
  bool joinable_ = false;
};

}  // namespace aipol
