//===- LoopModel.cpp - What the passes know about one loop ----------------===//
#include "LoopModel.h"

namespace pl {

const char *loopKindName(LoopKind K) {
  switch (K) {
  case LoopKind::For: return "for";
  case LoopKind::RangeFor: return "range-for";
  case LoopKind::While: return "while";
  case LoopKind::DoWhile: return "do-while";
  }
  return "?";
}

const char *abiLoopKind(LoopKind K) {
  switch (K) {
  case LoopKind::For: return "kFor";
  case LoopKind::RangeFor: return "kRangeFor";
  case LoopKind::While: return "kWhile";
  case LoopKind::DoWhile: return "kDoWhile";
  }
  return "kFor";
}

const char *labelSourceName(LabelSource S) {
  switch (S) {
  case LabelSource::Automatic: return "automatic";
  case LabelSource::CxxLabel: return "label";
  case LabelSource::Marker: return "PL_LOOP";
  }
  return "?";
}

} // namespace pl
