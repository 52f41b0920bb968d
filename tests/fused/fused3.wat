;; tests/fused/fused3.wat — code shaped so that the compiler forms each three-op
;; superinstruction of ops.h (ENG_FUSED3_OPS), a pair followed by a third op, and the pairs added
;; with them (ENG_FUSED_OPS), run with operands
;; that make each of the three ops' results visible, and the branch halves taken both ways and
;; into every kind of target (a loop head, a block end, both arms of an if).  fused3.sh checks
;; the results; a trap in the second or third op must name that op's offset.
(module
  (memory 1)
  (global $sp (mut i32) (i32.const 4096))
  (data (i32.const 64) "abc\00")
  (data (i32.const 128) "\40\00\00\00")  ;; a pointer to "abc" at 64
  (data (i32.const 132) "\43\00\00\00")  ;; ... and one to its terminating zero at 67
  (data (i32.const 136) "\f0\ff\ff\ff")  ;; ... and one far out of bounds
  ;; I32_LOAD8_U + COPY + BR_IF_NZ into a loop head: the length of the string at p
  ;; (the byte lands in a local, an index moves by a copy, the loop goes on while the byte is
  ;; not zero)
  (func (export "strlen") (param $p i32) (result i32) (local $b i32) (local $next i32)
    (local $start i32)
    (local.set $start (local.get $p))
    (loop $again
      (local.set $next (i32.add (local.get $p) (i32.const 1)))
      (local.set $b (i32.load8_u (local.get $p)))
      (local.set $p (local.get $next))
      (br_if $again (local.get $b)))
    (i32.sub (i32.sub (local.get $p) (local.get $start)) (i32.const 1)))
  ;; I32_AND_IMM + I32_XOR_IMM + I32_SHR_U_IMM, and + I32_AND_IMM
  (func (export "mix_shr") (param i32) (result i32)
    (i32.shr_u (i32.xor (i32.and (local.get 0) (i32.const 0xff)) (i32.const 0x55)) (i32.const 1)))
  (func (export "mix_and") (param i32) (result i32)
    (i32.and (i32.xor (i32.and (local.get 0) (i32.const 0xff)) (i32.const 0x55)) (i32.const 0x0f)))
  ;; I32_LOAD + I32_ADD_IMM + STORE32: a counter in memory at p, bumped n times
  (func (export "bump") (param $p i32) (param $n i32) (result i32)
    (i32.store offset=8 (local.get $p) (i32.const 0))
    (loop $again
      (i32.store offset=8 (local.get $p)
        (i32.add (i32.load offset=8 (local.get $p)) (i32.const 3)))
      (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.load (i32.add (local.get $p) (i32.const 8))))
  ;; I32_LOAD + I32_LOAD8_U + I32_AND_IMM, then + BR_IF_NZ, and + IF_NZ_FUEL
  (func (export "first_low") (param i32) (result i32)
    (i32.and (i32.load8_u (i32.load (local.get 0))) (i32.const 0x0f)))
  (func (export "first_set") (param i32) (result i32)
    (block $out
      (br_if $out (i32.load8_u (i32.load (local.get 0))))
      (return (i32.const 10)))
    (i32.const 20))
  (func (export "first_if") (param i32) (result i32)
    (block $set
      (block $clear
        (br_if $set (i32.load8_u (i32.load (local.get 0)))))
      (return (i32.const 40)))
    (i32.const 30))
  ;; CONST32 + I32_ADD_IMM + I32_AND_IMM: a constant into a local, then a digit test's start
  (func (export "digit") (param $c i32) (result i32) (local $state i32)
    (local.set $state (i32.const 4))
    (i32.add (local.get $state)
      (i32.and (i32.add (local.get $c) (i32.const -48)) (i32.const 255))))
  ;; I32_ADD + I32_ADD_IMM + COPY
  (func (export "add_add_copy") (param i32 i32) (result i32) (local i32 i32)
    (local.set 2 (i32.add (i32.add (local.get 0) (local.get 1)) (i32.const 7)))
    (local.set 3 (local.get 0))
    (i32.sub (local.get 2) (local.get 3)))
  ;; I32_ADD_IMM three times, and twice + BR_IF_NZ into a loop head
  (func (export "add3") (param i32) (result i32)
    (i32.add (i32.add (i32.add (local.get 0) (i32.const 1)) (i32.const 20)) (i32.const 300)))
  (func (export "count_up") (param $n i32) (result i32) (local $i i32)
    (local.set $i (local.get $n))
    (loop $again
      (br_if $again (i32.add (i32.add (local.tee $i (i32.sub (local.get $i) (i32.const 1)))
                                     (i32.const 5)) (i32.const -5))))
    (local.get $i))
  ;; f64 chains
  (func (export "f_sms") (param f64 f64 f64 f64) (result f64)
    (f64.sub (f64.mul (f64.sub (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
  (func (export "f_sma") (param f64 f64 f64 f64) (result f64)
    (f64.add (f64.mul (f64.sub (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
  (func (export "f_mam") (param f64 f64 f64 f64) (result f64)
    (f64.mul (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
  (func (export "f_mma") (param f64 f64 f64 f64) (result f64)
    (f64.add (f64.mul (f64.mul (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
  (func (export "f_ama") (param f64 f64 f64 f64) (result f64)
    (f64.add (f64.mul (f64.add (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
  ;; I64_LOAD + F64_SUB + F64_MUL; F64_MUL + F64_ADD + STORE64; F64_ADD + F64_ADD + STORE64
  (func (export "f_load") (param f64 f64 f64) (result f64)
    (f64.store (i32.const 512) (local.get 0))
    (f64.mul (f64.sub (f64.load (i32.const 512)) (local.get 1)) (local.get 2)))
  (func (export "f_store_ma") (param $p i32) (param f64 f64 f64) (result f64)
    (f64.store (local.get $p) (f64.add (f64.mul (local.get 1) (local.get 2)) (local.get 3)))
    (f64.load (local.get $p)))
  (func (export "f_store_aa") (param $p i32) (param f64 f64 f64) (result f64)
    (f64.store (local.get $p) (f64.add (f64.add (local.get 1) (local.get 2)) (local.get 3)))
    (f64.load (local.get $p)))
  ;; I32_ADD_IMM + I64_LOAD + STORE64: copy the i64 at p+8 to q
  (data (i32.const 808) "\01\02\03\04\05\06\07\08")
  (func (export "move64") (param $p i32) (param $q i32) (result i64)
    (i64.store (local.get $q) (i64.load (i32.add (local.get $p) (i32.const 8))))
    (i64.load (local.get $q)))
  ;; I32_ADD + I32_LOAD + BR_I32_NE: the first index of `stop` in the words from p
  (data (i32.const 600) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  (func (export "find_word") (param $stop i32) (result i32)
    (local $p i32) (local $four i32) (local $base i32)
    (local.set $base (i32.const 600))
    (local.set $four (i32.const 4))
    (local.set $p (i32.const -4))
    (loop $again
      (local.set $p (i32.add (local.get $p) (local.get $four)))
      (br_if $again (i32.ne (i32.load (i32.add (local.get $p) (local.get $base)))
                            (local.get $stop))))
    (i32.shr_u (local.get $p) (i32.const 2)))
  (func (export "word_is") (param $i i32) (param $want i32) (result i32) (local $base i32)
    (local.set $base (i32.const 600))
    (block $out
      (br_if $out (i32.ne (i32.load (i32.add (local.get $i) (local.get $base))) (local.get $want)))
      (return (i32.const 1)))
    (i32.const 0))
  (func (export "word_if") (param $i i32) (param $want i32) (result i32) (local $base i32)
    (local.set $base (i32.const 600))
    (block $differs
      (block $fall
        (br_if $differs
          (i32.ne (i32.load (i32.add (local.get $i) (local.get $base))) (local.get $want))))
      (return (i32.const 8)))
    (i32.const 7))
  ;; I32_ADD_IMM + I32_ADD + BR_I32_LE_U
  (func (export "le_loop") (param $n i32) (param $step i32) (result i32) (local $i i32)
    (loop $again
      (br_if $again (i32.le_u (i32.add (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                                       (local.get $step))
                              (local.get $n))))
    (local.get $i))
  ;; I32_SHL_IMM + I32_ADD + I32_LOAD / STORE32: word i of the table at 600
  (func (export "word_at") (param $i i32) (param $base i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get $i) (i32.const 2)) (local.get $base))))
  (func (export "put_word") (param $i i32) (param $v i32) (param $base i32) (result i32)
    (i32.store (i32.add (i32.shl (local.get $i) (i32.const 2)) (local.get $base)) (local.get $v))
    (i32.load (i32.const 708)))
  ;; GLOBAL_GET + I32_SUB_IMM + GLOBAL_SET: a stack frame taken and given back
  (func (export "frame") (param i32) (result i32) (local $fp i32)
    (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 32))))
    (i32.store (local.get $fp) (local.get 0))
    (global.set $sp (i32.add (local.get $fp) (i32.const 32)))
    (i32.add (i32.load (local.get $fp)) (global.get $sp)))
  ;; COPY + I32_LOAD + STORE32: copy n words from src to dst (a copy, then a load and a store
  ;; in a row), returning the index of the last one
  (func (export "copy_words") (param $src i32) (param $dst i32) (param $n i32) (result i32)
    (local $i i32) (local $last i32)
    (loop $again
      (local.set $last (local.get $i))
      (i32.store (local.get $dst) (i32.load (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br_if $again (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
                              (local.get $n))))
    (i32.add (i32.mul (local.get $last) (i32.const 1000)) (i32.load offset=8 (i32.const 2000))))
  ;; I32_MUL + I32_ADD + I32_ADD_IMM; I32_ADD + I32_ADD_IMM + BR_IF_NZ (plain, into a block,
  ;; into a loop head)
  (func (export "mul_add_add") (param i32 i32 i32) (result i32)
    (i32.add (i32.add (i32.mul (local.get 0) (local.get 1)) (local.get 2)) (i32.const 5)))
  (func (export "sum_down") (param $n i32) (param $m i32) (result i32) (local $s i32)
    (loop $again
      (local.set $s (i32.add (local.get $s) (local.get $n)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $again (i32.add (i32.add (local.get $n) (local.get $m)) (i32.const -1))))
    (local.get $s))
  (func (export "add_add_exit") (param i32 i32) (result i32)
    (block $out
      (br_if $out (i32.add (i32.add (local.get 0) (local.get 1)) (i32.const -1)))
      (return (i32.const 5)))
    (i32.const 6))
  ;; I32_LOAD + I32_LOAD16_U; I32_LOAD16_U + I32_AND_IMM; I32_LOAD16_U + I32_MUL
  (data (i32.const 1536) "\00\06\00\00\34\12\05\00")
  (func (export "half_words") (param $pp i32) (result i32) (local $p i32)
    (local.set $p (i32.load (local.get $pp)))
    (i32.add (i32.and (i32.load16_u offset=4 (local.get $p)) (i32.const 0xff0))
             (i32.mul (i32.load16_u offset=6 (local.get $p)) (local.get $p))))
  (func (export "half_masked") (param $p i32) (result i32)
    (i32.and (i32.load16_u offset=4 (local.get $p)) (i32.const 0xff0)))
  ;; CONST32 + F64_LT + BR_IF_NZ (into a block, a loop head, and plain); CONST32 + F64_GT +
  ;; I32_XOR_IMM
  (func (export "neg_exit") (param f64) (result i32)
    (block $out
      (br_if $out (f64.lt (local.get 0) (f64.const 0)))
      (return (i32.const 1)))
    (i32.const -1))
  (func (export "halve_below") (param $x f64) (result i32) (local $k i32)
    (loop $again
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $x (f64.sub (local.get $x) (f64.const 1)))
      (br_if $again (f64.lt (f64.const 0) (local.get $x))))
    (local.get $k))
  (func (export "not_positive") (param f64) (result i32)
    (i32.xor (f64.gt (local.get 0) (f64.const 0)) (i32.const 1)))
  ;; fifth batch: I32_ADD + BR_I32_GT_U, I32_ADD_IMM + BR_I32_GT_U_IMM, I32_SUB + BR_I32_GE_U,
  ;; I32_AND + I32_ADD + BR_I32_GT_U, I32_ADD + I32_LOAD8_U + BR_I32_NE, each into a loop head
  ;; (the loop halves k until the condition fails), a block end and an if (whose condition is the
  ;; opposite comparison: the branch to its else arm is taken when it fails); the counter moves by
  ;; an op that starts no superinstruction with what follows (i32.shr_u, or i32.sub of a local)
  (func (export "add_gt_loop") (param $k i32) (param $n i32) (param $lim i32) (result i32)
    (loop $again
      (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
      (br_if $again (i32.gt_u (i32.add (local.get $k) (local.get $n)) (local.get $lim))))
    (local.get $k))
  (func (export "add_gt_block") (param i32 i32 i32) (result i32)
    (block $out
      (br_if $out (i32.gt_u (i32.add (local.get 0) (local.get 1)) (local.get 2)))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "add_gt_if") (param i32 i32 i32) (result i32)
    (if (result i32) (i32.le_u (i32.add (local.get 0) (local.get 1)) (local.get 2))
      (then (i32.const 3)) (else (i32.const 4))))
  (func (export "addi_gti_loop") (param $k i32) (result i32)
    (loop $again
      (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
      (br_if $again (i32.gt_u (i32.add (local.get $k) (i32.const 3)) (i32.const 10))))
    (local.get $k))
  (func (export "addi_gti_block") (param i32) (result i32)
    (block $out
      (br_if $out (i32.gt_u (i32.add (local.get 0) (i32.const 3)) (i32.const 10)))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "addi_gti_if") (param i32) (result i32)
    (if (result i32) (i32.le_u (i32.add (local.get 0) (i32.const 3)) (i32.const 10))
      (then (i32.const 3)) (else (i32.const 4))))
  (func (export "sub_ge_loop") (param $k i32) (param $m i32) (param $lim i32) (result i32)
    (loop $again
      (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
      (br_if $again (i32.ge_u (i32.sub (local.get $k) (local.get $m)) (local.get $lim))))
    (local.get $k))
  (func (export "sub_ge_block") (param i32 i32 i32) (result i32)
    (block $out
      (br_if $out (i32.ge_u (i32.sub (local.get 0) (local.get 1)) (local.get 2)))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "sub_ge_if") (param i32 i32 i32) (result i32)
    (if (result i32) (i32.lt_u (i32.sub (local.get 0) (local.get 1)) (local.get 2))
      (then (i32.const 3)) (else (i32.const 4))))
  (func (export "and_add_gt_loop") (param $k i32) (param $mask i32) (param $c i32)
    (param $lim i32) (result i32)
    (loop $again
      (local.set $k (i32.shr_u (local.get $k) (i32.const 1)))
      (br_if $again
        (i32.gt_u (i32.add (i32.and (local.get $k) (local.get $mask)) (local.get $c))
                  (local.get $lim))))
    (local.get $k))
  (func (export "and_add_gt_block") (param i32 i32 i32 i32) (result i32)
    (block $out
      (br_if $out
        (i32.gt_u (i32.add (i32.and (local.get 0) (local.get 1)) (local.get 2)) (local.get 3)))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "and_add_gt_if") (param i32 i32 i32 i32) (result i32)
    (if (result i32)
      (i32.le_u (i32.add (i32.and (local.get 0) (local.get 1)) (local.get 2)) (local.get 3))
      (then (i32.const 3)) (else (i32.const 4))))
  ;; the index of byte c in the string at p (the index moves by i32.sub of a local -1)
  (func (export "index_of") (param $p i32) (param $c i32) (result i32)
    (local $i i32) (local $minus1 i32)
    (local.set $minus1 (i32.const -1))
    (local.set $i (i32.const -1))
    (loop $again
      (local.set $i (i32.sub (local.get $i) (local.get $minus1)))
      (br_if $again
        (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $i))) (local.get $c))))
    (local.get $i))
  (func (export "byte_is_block") (param i32 i32 i32) (result i32)
    (block $out
      (br_if $out (i32.ne (i32.load8_u (i32.add (local.get 0) (local.get 1))) (local.get 2)))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "byte_is_if") (param i32 i32 i32) (result i32)
    (if (result i32) (i32.eq (i32.load8_u (i32.add (local.get 0) (local.get 1))) (local.get 2))
      (then (i32.const 3)) (else (i32.const 4))))
  ;; I32_SHL_IMM + I32_ADD_IMM, and + I32_LOAD: word i of the table at 600 and its address;
  ;; I32_ADD_IMM + I32_LOAD + I32_ADD: the word after p's, plus x
  (func (export "word_addr") (param $i i32) (result i32)
    (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 600)))
  (func (export "word_600") (param $i i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get $i) (i32.const 2)) (i32.const 600))))
  (func (export "next_word_plus") (param $p i32) (param $x i32) (result i32)
    (i32.add (i32.load (i32.add (local.get $p) (i32.const 4))) (local.get $x)))
  ;; I64_SHL_IMM + I64_SHR_U_IMM + I64_OR
  (func (export "bits64") (param i64) (result i64)
    (i64.or (i64.shr_u (i64.shl (local.get 0) (i64.const 8)) (i64.const 4)) (local.get 0))))
