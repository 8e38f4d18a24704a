#include "runtime/large_stack.h"

namespace aipol {

LargeStackThread::LargeStackThread(std::function<void()> body)
    : body_(new std::function<void()>(std::move(body))) {
  pthread_attr_t attributes;
  pthread_attr_init(&attributes);
  pthread_attr_setstacksize(&attributes, kLargeStackBytes);
  auto run = [](void* data) -> void* {
    (*static_cast<std::function<void()>*>(data))();
    return nullptr;
  };
  joinable_ = pthread_create(&thread_, &attributes, run, body_) == 0;
  pthread_attr_destroy(&attributes);
  // Without the address space for it, a thread with the default stack.
  if (!joinable_) joinable_ = pthread_create(&thread_, nullptr, run, body_) == 0;
  if (!joinable_) (*body_)();
}

LargeStackThread::LargeStackThread(LargeStackThread&& other) noexcept
    : body_(other.body_), thread_(other.thread_), joinable_(other.joinable_) {
  other.body_ = nullptr;
  other.joinable_ = false;
}

LargeStackThread::~LargeStackThread() { Join(); }

void LargeStackThread::Join() {
  if (joinable_) pthread_join(thread_, nullptr);
  joinable_ = false;
  delete body_;
  body_ = nullptr;
}

}  // namespace aipol
