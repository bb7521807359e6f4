// pl::Frame: typed, checked access to the locals passed at one event.
#include <cstring>
#include <string>
#include <type_traits>

#include "checkpoint.h"
#include "registry.h"
#include "scalar_kinds.h"

namespace pl {
namespace detail {

std::string_view trimmed_type_name(const abi::TypeInfo& t) {
  // "… type_name_of() [with T = X]" (GCC) or "… [T = X]" (Clang).
  std::string_view s = t.name();
  std::size_t at = s.find("T = ");
  if (at == std::string_view::npos) return s;
  s.remove_prefix(at + 4);
  if (!s.empty() && s.back() == ']') s.remove_suffix(1);
  return s;
}
}  // namespace detail

std::string_view to_string(Event e) {
  switch (e) {
    case Event::loop_enter:
      return "loop_enter";
    case Event::iteration_begin:
      return "iteration_begin";
    case Event::iteration_end:
      return "iteration_end";
    case Event::loop_exit:
      return "loop_exit";
  }
  return "?";
}

std::uint64_t Frame::iteration() const {
  switch (event_) {
    case abi::kBegin:
    case abi::kEnd:
      return iterations_ - 1;
    case abi::kExit:
      return iterations_;
    default:
      return 0;
  }
}

std::size_t Frame::depth() const {
  if (enclosing_) return enclosing_->size();
  std::size_t d = 1;
  for (const abi::Loop* l = loop_->parent; l; l = l->parent) ++d;
  return d;
}

LoopInfo Frame::enclosing(std::size_t k) const {
  if (k == 0) return {loop(), iteration(), trip_};
  if (enclosing_) {
    if (k < enclosing_->size()) return (*enclosing_)[k];
  } else {
    const abi::Loop* l = loop_;
    for (std::size_t i = k; l && i > 0; --i) l = l->parent;
    if (l) return {l->site.desc->name, l->iterations ? l->iterations - 1 : 0, l->trip};
  }
  throw Error("pl: enclosing(" + std::to_string(k) + ") beyond the outermost loop of " +
              std::string(loop()));
}

VarInfo Frame::var(std::size_t i) const {
  const abi::VarDesc& v = point_->vars[i];
  return {v.name, detail::trimmed_type_name(*v.type), (v.flags & abi::kReadOnly) != 0,
          v.type->kind != abi::kNotScalar};
}

std::size_t Frame::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < var_count(); ++i)
    if (point_->vars[i].name == name) return i;
  return std::string_view::npos;
}

bool Frame::has(std::string_view name) const { return index_of(name) != std::string_view::npos; }

static std::string where(const Frame& f) {
  return "loop '" + std::string(f.loop()) + "' (" + std::string(to_string(f.event())) + ", " +
         std::string(f.file()) + ":" + std::to_string(f.line()) + ")";
}

void* Frame::lookup(std::string_view name, const abi::TypeInfo& want, bool write) const {
  std::size_t i = index_of(name);
  if (i == std::string_view::npos) {
    std::string visible;
    for (std::size_t k = 0; k < var_count(); ++k)
      visible += (k ? ", " : "") + std::string(point_->vars[k].name);
    throw Error("pl: " + where(*this) + " has no local '" + std::string(name) +
                "' in scope; visible here: " + (visible.empty() ? "(none)" : visible));
  }
  const abi::VarDesc& v = point_->vars[i];
  if (v.type != &want && detail::trimmed_type_name(*v.type) != detail::trimmed_type_name(want))
    throw Error("pl: " + where(*this) + ": local '" + std::string(name) + "' has type '" +
                std::string(detail::trimmed_type_name(*v.type)) + "', not '" +
                std::string(detail::trimmed_type_name(want)) + "'");
  if (write && (v.flags & abi::kReadOnly))
    throw Error("pl: " + where(*this) + ": local '" + std::string(name) +
                "' is const here and cannot be written");
  if (write && loop_) detail::note_hook_write(*loop_, name);
  return addrs_[i];
}

using detail::with_scalar_type;

static double scalar_at(const void* p, abi::ScalarKind kind) {
  double out = 0;
  with_scalar_type(kind, [&](auto tag) {
    decltype(tag) x;
    std::memcpy(&x, p, sizeof x);
    out = double(x);
  });
  return out;
}

static std::size_t scalar_size(abi::ScalarKind kind) {
  std::size_t size = 8;
  with_scalar_type(kind, [&](auto tag) { size = sizeof tag; });
  return size;
}

double Frame::number(std::string_view name) const {
  std::size_t i = index_of(name);
  if (i == std::string_view::npos) lookup(name, abi::TypeOf<double>::info, false);  // throws
  const abi::VarDesc& v = point_->vars[i];
  const void* p = addrs_[i];
  switch (v.type->kind) {
    case abi::kNotScalar:
    case abi::kPointer:
      break;
    case abi::kEnum:
      return scalar_at(p, v.type->size == 1   ? abi::kI8
                          : v.type->size == 2 ? abi::kI16
                          : v.type->size == 4 ? abi::kI32
                                              : abi::kI64);
    default:
      return scalar_at(p, v.type->kind);
  }
  throw Error("pl: " + where(*this) + ": local '" + std::string(name) + "' of type '" +
              std::string(detail::trimmed_type_name(*v.type)) + "' is not a number");
}

void Frame::set_number(std::string_view name, double value) {
  std::size_t i = index_of(name);
  if (i == std::string_view::npos) lookup(name, abi::TypeOf<double>::info, true);  // throws
  const abi::VarDesc& v = point_->vars[i];
  if (v.flags & abi::kReadOnly) lookup(name, *v.type, true);  // throws: read-only
  void* p = addrs_[i];
  const bool numeric = with_scalar_type(v.type->kind, [&](auto tag) {
    decltype(tag) x = std::is_same_v<decltype(tag), bool> ? value != 0 : decltype(tag)(value);
    std::memcpy(p, &x, sizeof x);
  });
  if (!numeric)
    throw Error("pl: " + where(*this) + ": local '" + std::string(name) + "' of type '" +
                std::string(detail::trimmed_type_name(*v.type)) + "' cannot be set from a number");
  if (loop_) detail::note_hook_write(*loop_, name);  // checkpoints keep what hooks set
}

double Frame::Elements::at(std::size_t i) const {
  return scalar_at(static_cast<const char*>(data) + i * scalar_size(kind), kind);
}

bool Frame::elements(std::string_view name, Elements& out) const {
  std::size_t i = index_of(name);
  if (i == std::string_view::npos) return false;
  const abi::TypeInfo& t = *point_->vars[i].type;
  if (!t.elements) return false;
  out.count = t.elements(addrs_[i], &out.data);
  out.kind = t.element_kind;
  return true;
}

void Frame::request_stop() {
  detail::Registry::get().request_stop();
  actions_ |= abi::kBreak;
}

}  // namespace pl
