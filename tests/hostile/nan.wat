;; nan.wat — float operations whose NaN results the spec leaves partly unspecified (sign and
;; payload), and the exact bit operations it does specify.
(module
  (memory 1)
  (func (export "f32_div") (param f32 f32) (result f32) (f32.div (local.get 0) (local.get 1)))
  (func (export "f32_add") (param f32 f32) (result f32) (f32.add (local.get 0) (local.get 1)))
  (func (export "f32_mul") (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
  (func (export "f32_sqrt") (param f32) (result f32) (f32.sqrt (local.get 0)))
  (func (export "f32_min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
  (func (export "f32_ceil") (param f32) (result f32) (f32.ceil (local.get 0)))
  (func (export "f32_demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
  (func (export "f64_div") (param f64 f64) (result f64) (f64.div (local.get 0) (local.get 1)))
  (func (export "f64_add") (param f64 f64) (result f64) (f64.add (local.get 0) (local.get 1)))
  (func (export "f64_sub") (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
  (func (export "f64_max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
  (func (export "f64_nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
  (func (export "f64_promote") (param f32) (result f64) (f64.promote_f32 (local.get 0)))
  ;; exact bit operations: never canonicalised
  (func (export "f32_neg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "f64_abs") (param f64) (result f64) (f64.abs (local.get 0)))
  (func (export "f32_copysign") (param f32 f32) (result f32)
    (f32.copysign (local.get 0) (local.get 1)))
  ;; the result folded into a local, then through memory
  (func (export "f32_div_local") (param f32 f32) (result f32) (local f32)
    (local.set 2 (f32.div (local.get 0) (local.get 1)))
    (local.get 2))
  (func (export "f64_div_mem") (param f64 f64) (result f64)
    (f64.store (i32.const 8) (f64.div (local.get 0) (local.get 1)))
    (f64.load (i32.const 8))))
