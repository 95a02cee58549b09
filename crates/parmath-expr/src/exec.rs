//! Register programs: the graph compiled to instructions over blocks of `BLOCK` elements, run in
//! parallel over the pool. Float arithmetic and every registry function call the same SIMD loops
//! as the ufuncs; integer, boolean and comparison operations are plain loops here.

use crate::dtype::DType;
use crate::elem::{convert, f64_to_f16, round_f16_slice, with_type, Bool8, Elem, NEGATIVE_POWER};
use crate::error::{Error, ErrorKind, Result};
use crate::ir::{int_as, Graph, Input, Node, Op, Reduction, Typed, Value};
use parmath_core::half::{f16_to_f32, f32_to_f16};
use parmath_core::{apply, fpstatus, isa, pool, BinaryLoop, Dtype, Isa, UnaryLoop, FUNCTIONS};
use std::fmt::Write as _;

/// Elements per block: each register holds one block, so a program's registers stay in L2 and the
/// kernels' loops are long enough to amortise their set-up. Tuned with `cargo bench -p parmath-expr
/// -- block_size` on the 2-core development machine (2026-11-27): `2*a + 3*b` over 1M float64 took
/// 1.59, 1.32, 1.41, 1.07, 1.17 and 1.24 ms with 512 ... 16384 elements; the compute-bound
/// `exp(-a**2 / 2) * sin(b) + 1` was within the noise (3.8 to 4.7 ms) at every length.
pub const BLOCK: usize = 4096;

/// The least work per element of a program, relative to float64 `exp` (see [`op_cost`]).
const MIN_COST: f32 = 0.25;

/// The registry cost of a function the program calls ([`parmath_core::Function::cost`]; 0 for
/// the other operations). A program's cost is half its costliest call's, at least [`MIN_COST`]:
/// an expression's other operations run on blocks in L1, and the split costs the same as a
/// ufunc's. Measured (two threads against one, 2026-11-28, 2-core development machine): `a + b`,
/// `2*a + 3*b` 1.1x to 1.3x from 128K to 256K float64 elements (0.6x at 64K), `log(a) + 1` 1.15x
/// from 32K-64K (float32: 256K), `exp(-a**2/2)*sin(b) + 1` 1.2x at 64K (float32 128K-256K).
fn op_cost(op: Op, operand: DType) -> f32 {
    let ty = match operand {
        DType::F16 | DType::F32 => Dtype::F32,
        _ => Dtype::F64,
    };
    match op {
        Op::Func1(i) | Op::Func2(i) => FUNCTIONS[i].cost(ty),
        Op::Pow => FUNCTIONS[func("power")].cost(ty),
        _ => 0.0,
    }
}

/// How an operation runs.
#[derive(Clone, Copy, Debug)]
enum Kernel {
    /// A registry loop (float32 loops for float16, whose results are then rounded).
    Unary(UnaryLoop),
    /// A registry loop with two inputs.
    Binary(BinaryLoop),
    /// Plain Rust here, compiled for the instruction-set level in use.
    Generic(GenericFn),
}

/// A generic loop: op, operand type, result type, arguments, destination, length.
type GenericFn = unsafe fn(Op, DType, DType, &[*const u8], *mut u8, usize) -> u8;

/// One instruction.
#[derive(Clone, Debug)]
enum Inst {
    /// Read array input `input` (its own type) into register `dst`.
    Load { dst: usize, input: usize },
    /// Fill `dst` with a constant (once per worker).
    Fill {
        dst: usize,
        value: Value,
        dtype: DType,
    },
    /// Fill `dst` with Python scalar input `scalar` as `dtype` (once per worker).
    Scalar {
        dst: usize,
        scalar: usize,
        dtype: DType,
    },
    /// `dst = op(args)`.
    Op {
        op: Op,
        operand: DType,
        dtype: DType,
        dst: usize,
        args: Vec<usize>,
        /// Which arguments are constant registers (passed to SIMD loops with step 0).
        scalar: [bool; 3],
        kernel: Kernel,
    },
}

/// A compiled expression for given input types.
#[derive(Clone, Debug)]
pub struct Program {
    init: Vec<Inst>,
    body: Vec<Inst>,
    regs: usize,
    root: usize,
    result: DType,
    inputs: Vec<Input>,
    names: Vec<String>,
    reduce: Option<(Reduction, Option<i64>)>,
    block: usize,
    cost: f32,
}

/// An array operand: data pointer, type, and byte strides over the shape of the call.
#[derive(Clone, Debug)]
pub struct ArrayRef {
    /// The first element.
    pub ptr: *mut u8,
    /// Its element type (native byte order).
    pub dtype: DType,
    /// Byte strides, one per dimension of the call's shape (0 where broadcast).
    pub strides: Vec<isize>,
}

/// The value of a Python scalar input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarValue {
    /// A Python `int` (within int64).
    Int(i64),
    /// A Python `float`.
    Float(f64),
}

/// The registry function by name.
fn func(name: &str) -> usize {
    FUNCTIONS
        .iter()
        .position(|f| f.name == name)
        .expect("registry function")
}

/// The SIMD loop for an operation on a float type, if there is one.
fn kernel(op: Op, operand: DType, dtype: DType, isa: Isa) -> Kernel {
    let plain = Kernel::Generic(GENERIC[isa as usize]);
    let ty = match operand {
        DType::F16 | DType::F32 => Dtype::F32,
        DType::F64 => Dtype::F64,
        _ => return plain,
    };
    if dtype != operand {
        return plain;
    }
    let index = match op {
        Op::Add => func("add"),
        Op::Sub => func("subtract"),
        Op::Mul => func("multiply"),
        Op::Div => func("divide"),
        Op::Pow => func("power"),
        Op::Max => func("maximum"),
        Op::Min => func("minimum"),
        Op::Neg => func("negative"),
        Op::Abs => func("absolute"),
        Op::Func1(i) | Op::Func2(i) => i,
        _ => return plain,
    };
    let f = &FUNCTIONS[index];
    match (f.unary_loop(ty, isa), f.binary_loop(ty, isa)) {
        (Some(l), _) => Kernel::Unary(l),
        (_, Some(l)) => Kernel::Binary(l),
        _ => plain,
    }
}

impl Program {
    /// Compiles a typed graph; the result is cast to `out` when given.
    pub fn new(graph: &Graph, inputs: &[Input], out: Option<DType>) -> Program {
        let isa = isa::active();
        let mut nodes: Vec<Typed> = graph.nodes.clone();
        let mut root = graph.root;
        if let Some((r, _)) = graph.reduce {
            let acc = r.result(nodes[root].dtype);
            root = cast_node(&mut nodes, root, acc);
        } else if let Some(d) = out {
            root = cast_node(&mut nodes, root, d);
        }
        // Nodes the result needs, and the last instruction reading each.
        let mut live = vec![false; nodes.len()];
        live[root] = true;
        let mut last = vec![0usize; nodes.len()];
        for i in (0..nodes.len()).rev() {
            if !live[i] {
                continue;
            }
            if let Node::Op { args, .. } = &nodes[i].node {
                for &a in args {
                    live[a] = true;
                    last[a] = last[a].max(i);
                }
            }
        }
        let mut reg = vec![usize::MAX; nodes.len()];
        let mut free: Vec<usize> = Vec::new();
        let mut regs = 0;
        let mut take = |free: &mut Vec<usize>| {
            free.pop().unwrap_or_else(|| {
                regs += 1;
                regs - 1
            })
        };
        let (mut init, mut body) = (Vec::new(), Vec::new());
        let mut costliest = 0.0f32;
        for i in 0..nodes.len() {
            if !live[i] {
                continue;
            }
            let Typed { node, dtype } = &nodes[i];
            let dtype = *dtype;
            match node {
                Node::Const(v) => {
                    // Constants keep their registers: they are filled once per worker.
                    reg[i] = take(&mut Vec::new());
                    init.push(Inst::Fill {
                        dst: reg[i],
                        value: *v,
                        dtype,
                    });
                }
                Node::Scalar(s) => {
                    reg[i] = take(&mut Vec::new());
                    init.push(Inst::Scalar {
                        dst: reg[i],
                        scalar: *s,
                        dtype,
                    });
                }
                Node::Input(k) => {
                    reg[i] = take(&mut free);
                    body.push(Inst::Load {
                        dst: reg[i],
                        input: *k,
                    });
                }
                Node::Op { op, operand, args } => {
                    costliest = costliest.max(op_cost(*op, *operand));
                    reg[i] = take(&mut free);
                    let mut scalar = [false; 3];
                    for (s, &a) in scalar.iter_mut().zip(args) {
                        *s = matches!(nodes[a].node, Node::Const(_) | Node::Scalar(_));
                    }
                    body.push(Inst::Op {
                        op: *op,
                        operand: *operand,
                        dtype,
                        dst: reg[i],
                        args: args.iter().map(|&a| reg[a]).collect(),
                        scalar,
                        kernel: kernel(*op, *operand, dtype, isa),
                    });
                    for &a in args {
                        let reusable = matches!(nodes[a].node, Node::Input(_) | Node::Op { .. });
                        if last[a] == i && a != root && reusable && !free.contains(&reg[a]) {
                            free.push(reg[a]);
                        }
                    }
                }
            }
        }
        Program {
            init,
            body,
            regs,
            root: reg[root],
            result: nodes[root].dtype,
            inputs: inputs.to_vec(),
            names: graph.names.clone(),
            reduce: graph.reduce,
            block: BLOCK,
            cost: (costliest / 2.0).max(MIN_COST),
        }
    }

    /// The same program with registers of `block` elements instead of [`BLOCK`] (for tuning it).
    pub fn with_block(mut self, block: usize) -> Program {
        self.block = block.max(1);
        self
    }

    /// The result's type (of the elements, before any reduction's output cast).
    pub fn result(&self) -> DType {
        self.result
    }

    /// The outermost reduction, if any.
    pub fn reduction(&self) -> Option<(Reduction, Option<i64>)> {
        self.reduce
    }

    /// The program as text, one instruction per line.
    pub fn disassemble(&self) -> String {
        let mut s = String::new();
        let name = |k: usize| self.names[k].clone();
        for inst in self.init.iter().chain(&self.body) {
            let _ = match inst {
                Inst::Load { dst, input } => {
                    let d = match self.inputs[*input] {
                        Input::Array(d) => d.name(),
                        _ => "?",
                    };
                    writeln!(s, "r{dst} = load {} ({d})", name(*input))
                }
                Inst::Fill { dst, value, dtype } => {
                    writeln!(s, "r{dst} = const {} ({})", value.show(), dtype.name())
                }
                Inst::Scalar { dst, scalar, dtype } => {
                    writeln!(s, "r{dst} = scalar {} ({})", name(*scalar), dtype.name())
                }
                Inst::Op {
                    op,
                    operand,
                    dtype,
                    dst,
                    args,
                    ..
                } => {
                    let a: Vec<String> = args.iter().map(|r| format!("r{r}")).collect();
                    if op == &Op::Cast {
                        writeln!(
                            s,
                            "r{dst} = cast.{}.{} {}",
                            operand.name(),
                            dtype.name(),
                            a[0]
                        )
                    } else {
                        writeln!(
                            s,
                            "r{dst} = {}.{} {}",
                            op.name(),
                            operand.name(),
                            a.join(", ")
                        )
                    }
                }
            };
        }
        match self.reduce {
            Some((r, axis)) => {
                let axis = axis.map_or("None".to_string(), |a| a.to_string());
                let _ = writeln!(
                    s,
                    "return {}(r{}, axis={axis}) ({})",
                    r.name(),
                    self.root,
                    self.result.name()
                );
            }
            None => {
                let _ = writeln!(s, "return r{} ({})", self.root, self.result.name());
            }
        }
        s
    }

    /// The values of the Python scalar instructions, converted and checked.
    fn scalar_values(&self, scalars: &[Option<ScalarValue>]) -> Result<Vec<(usize, Value, DType)>> {
        let mut out = Vec::new();
        for inst in &self.init {
            if let Inst::Scalar { dst, scalar, dtype } = inst {
                let v = match scalars.get(*scalar).copied().flatten() {
                    Some(ScalarValue::Int(i)) => {
                        int_as(i, *dtype).map_err(|m| Error::new(ErrorKind::Overflow, m, None))?
                    }
                    Some(ScalarValue::Float(f)) => Value::Float(f),
                    None => {
                        return Err(Error::new(
                            ErrorKind::Value,
                            format!("no value for scalar input {:?}", self.names[*scalar]),
                            None,
                        ))
                    }
                };
                out.push((*dst, v, *dtype));
            }
        }
        Ok(out)
    }

    /// The coalesced shape and the views of the array inputs (by input number), then of `extra`.
    fn views(
        &self,
        shape: &[usize],
        arrays: &[Option<ArrayRef>],
        extra: Option<&ArrayRef>,
    ) -> Result<(Vec<usize>, Vec<Option<View>>)> {
        let mut all: Vec<&ArrayRef> = Vec::new();
        for (k, input) in self.inputs.iter().enumerate() {
            if let Input::Array(d) = input {
                match arrays.get(k).and_then(Option::as_ref) {
                    Some(a) if a.dtype == *d && a.strides.len() == shape.len() => all.push(a),
                    _ => {
                        return Err(Error::new(
                            ErrorKind::Value,
                            format!("input {:?} is missing or has the wrong type", self.names[k]),
                            None,
                        ))
                    }
                }
            }
        }
        all.extend(extra);
        let (shape, strides) = coalesce(shape, &all);
        let mut views: Vec<Option<View>> = vec![None; self.inputs.len()];
        let mut it = strides.into_iter().zip(&all);
        for (k, input) in self.inputs.iter().enumerate() {
            if let Input::Array(d) = input {
                let (st, a) = it.next().unwrap();
                views[k] = Some(View::new(a.ptr, *d, st, &shape));
            }
        }
        if let Some((st, a)) = it.next() {
            views.push(Some(View::new(a.ptr, a.dtype, st, &shape)));
        }
        Ok((shape, views))
    }

    /// Evaluates the reduction over `shape`: over every element, or (`last_axis`) over the last
    /// dimension for each index of the others. `out` has the reduction's result type and the shape
    /// without the reduced dimensions. The result is the same whatever the number of threads: chunks
    /// of `BLOCK` elements of each row are reduced on their own, then combined in order.
    ///
    /// # Safety
    /// As [`Program::run`]; `out`'s strides address its shape.
    pub unsafe fn run_reduce(
        &self,
        shape: &[usize],
        arrays: &[Option<ArrayRef>],
        scalars: &[Option<ScalarValue>],
        last_axis: bool,
        out: &ArrayRef,
    ) -> Result<u8> {
        let Some((r, _)) = self.reduce else {
            return Err(Error::new(ErrorKind::Value, "not a reduction", None));
        };
        let fills = self.scalar_values(scalars)?;
        let out_shape: Vec<usize> = if last_axis && !shape.is_empty() {
            shape[..shape.len() - 1].to_vec()
        } else {
            Vec::new()
        };
        if out.dtype != self.result || out.strides.len() != out_shape.len() {
            return Err(Error::new(
                ErrorKind::Value,
                "output of the wrong type or shape",
                None,
            ));
        }
        let n: usize = shape.iter().product();
        let row = if last_axis {
            shape.last().copied().unwrap_or(1)
        } else {
            n
        };
        let rows: usize = out_shape.iter().product();
        if row == 0 && rows > 0 && matches!(r, Reduction::Min | Reduction::Max) {
            let name = if r == Reduction::Min {
                "minimum"
            } else {
                "maximum"
            };
            return Err(Error::new(
                ErrorKind::Value,
                format!("zero-size array to reduction operation {name} which has no identity"),
                None,
            ));
        }
        let (cshape, views) = self.views(shape, arrays, None)?;
        let ctx = Ctx {
            prog: self,
            shape: &cshape,
            views: &views,
            out: None,
            fills: &fills,
        };
        let chunks = row.div_ceil(self.block);
        let units = rows * chunks;
        let mut partials = vec![0u64; units];
        let p = SendPtr(partials.as_mut_ptr());
        let q = pool::BLOCK_QUANTUM;
        let mut status = if units == 0 {
            0
        } else {
            pool::for_each_block(units * q, pool::threads_for_cost(n, self.cost), |s, e| {
                let p = &p;
                ctx.reduce_units(s / q, e / q, row, chunks, p.0, r)
            })
        };
        checked(status)?;
        let out_view = View::new(out.ptr, out.dtype, out.strides.clone(), &out_shape);
        let dtype = self.result;
        with_type!(dtype, T => {
            let mut results: Vec<T> = Vec::with_capacity(rows);
            for i in 0..rows {
                let parts: Vec<T> = partials[i * chunks..(i + 1) * chunks].iter().map(|&b| from_bits::<T>(b)).collect();
                let mut v = if parts.is_empty() {
                    T::from_i128(i128::from(r == Reduction::Prod))
                } else {
                    reduce_slice(r, &parts)
                };
                if dtype == DType::F16 {
                    let (y, st) = crate::elem::round_f16(v.to_f64() as f32);
                    status |= st;
                    v = T::from_f64(f64::from(y));
                }
                results.push(v);
            }
            // SAFETY: `rows` results of the output type; the output view is writable.
            unsafe { scatter(&out_view, &out_shape, 0, rows, results.as_ptr().cast()) };
        });
        Ok(status)
    }

    /// Evaluates over `shape` into `out` (the result type, or the type given to [`Program::new`]).
    /// Returns the floating-point conditions met.
    ///
    /// # Safety
    /// Every array pointer and its strides must address valid elements of its type over `shape`;
    /// `out` must be writable and must not overlap an input except by being that same array with the
    /// same strides.
    pub unsafe fn run(
        &self,
        shape: &[usize],
        arrays: &[Option<ArrayRef>],
        scalars: &[Option<ScalarValue>],
        out: &ArrayRef,
    ) -> Result<u8> {
        if self.reduce.is_some() {
            return Err(Error::new(
                ErrorKind::Value,
                "a reduction needs run_reduce",
                None,
            ));
        }
        let fills = self.scalar_values(scalars)?;
        if out.dtype != self.result || out.strides.len() != shape.len() {
            return Err(Error::new(
                ErrorKind::Value,
                "output of the wrong type",
                None,
            ));
        }
        let (shape, mut views) = self.views(shape, arrays, Some(out))?;
        let n: usize = shape.iter().product();
        if n == 0 {
            return Ok(0);
        }
        let out_view = views.pop().unwrap().unwrap();
        let ctx = Ctx {
            prog: self,
            shape: &shape,
            views: &views,
            out: Some(&out_view),
            fills: &fills,
        };
        let status = pool::for_each_block(n, pool::threads_for_cost(n, self.cost), |s, e| {
            ctx.work(s, e)
        });
        checked(status)
    }
}

/// The conditions met, or NumPy's error for an integer raised to a negative power.
fn checked(status: u8) -> Result<u8> {
    if status & NEGATIVE_POWER != 0 {
        return Err(Error::new(
            ErrorKind::Value,
            "Integers to negative integer powers are not allowed.",
            None,
        ));
    }
    Ok(status)
}

fn cast_node(nodes: &mut Vec<Typed>, id: usize, d: DType) -> usize {
    let from = nodes[id].dtype;
    if from == d {
        return id;
    }
    nodes.push(Typed {
        node: Node::Op {
            op: Op::Cast,
            operand: from,
            args: vec![id],
        },
        dtype: d,
    });
    nodes.len() - 1
}

/// Drops length-1 dimensions and merges dimensions every operand walks contiguously (in C order).
fn coalesce(shape: &[usize], ops: &[&ArrayRef]) -> (Vec<usize>, Vec<Vec<isize>>) {
    let keep: Vec<usize> = (0..shape.len()).filter(|&i| shape[i] != 1).collect();
    let mut dims: Vec<usize> = keep.iter().map(|&i| shape[i]).collect();
    let mut strides: Vec<Vec<isize>> = ops
        .iter()
        .map(|a| keep.iter().map(|&i| a.strides[i]).collect())
        .collect();
    let mut i = dims.len();
    while i > 1 {
        i -= 1;
        let mergeable = strides.iter().all(|s| s[i - 1] == s[i] * dims[i] as isize);
        if mergeable {
            dims[i - 1] *= dims[i];
            dims.remove(i);
            for s in &mut strides {
                s.remove(i - 1);
            }
        }
    }
    if shape.contains(&0) {
        return (vec![0], vec![vec![0]; ops.len()]);
    }
    (dims, strides)
}

/// How an operand is walked.
#[derive(Clone, Debug)]
struct View {
    ptr: *mut u8,
    dtype: DType,
    strides: Vec<isize>,
    /// Contiguous in the call's order, aligned, and stored as in registers: used in place.
    direct: bool,
    /// Every stride 0: one value.
    scalar: bool,
}

// SAFETY: views are read (inputs) or written at disjoint blocks (output) by the workers; the caller of
// `run` guarantees the memory outlives the call.
unsafe impl Sync for View {}

impl View {
    fn new(ptr: *mut u8, dtype: DType, strides: Vec<isize>, shape: &[usize]) -> View {
        let size = dtype.size() as isize;
        let contiguous = match strides.len() {
            0 => true,
            1 => strides[0] == size,
            _ => false,
        } || shape.iter().product::<usize>() <= 1;
        let aligned = (ptr as usize).is_multiple_of(dtype.size());
        View {
            ptr,
            dtype,
            direct: contiguous && aligned && dtype != DType::F16,
            scalar: strides.iter().all(|&s| s == 0),
            strides,
        }
    }

    /// The byte offset of flat element `i` (C order over `shape`).
    fn offset(&self, shape: &[usize], mut i: usize) -> isize {
        let mut off = 0;
        for d in (0..shape.len()).rev() {
            off += (i % shape[d]) as isize * self.strides[d];
            i /= shape[d];
        }
        off
    }

    /// Calls `f(element pointer, index within the block)` for flat elements `start..start + len`.
    fn walk(&self, shape: &[usize], start: usize, len: usize, mut f: impl FnMut(*mut u8, usize)) {
        if shape.is_empty() {
            for j in 0..len {
                f(self.ptr, j);
            }
            return;
        }
        let last = shape.len() - 1;
        let (inner, step) = (shape[last], self.strides[last]);
        let mut j = 0;
        let mut i = start;
        while j < len {
            let base = self.ptr.wrapping_offset(self.offset(shape, i));
            let run = (inner - i % inner).min(len - j);
            for t in 0..run {
                f(base.wrapping_offset(t as isize * step), j + t);
            }
            j += run;
            i += run;
        }
    }
}

struct Ctx<'a> {
    prog: &'a Program,
    shape: &'a [usize],
    views: &'a [Option<View>],
    out: Option<&'a View>,
    fills: &'a [(usize, Value, DType)],
}

// SAFETY: see `View`.
unsafe impl Sync for Ctx<'_> {}

/// Copies `len` elements of `view` from flat index `start` into a register (float16 widened).
unsafe fn gather(view: &View, shape: &[usize], start: usize, len: usize, dst: *mut u8) {
    let size = view.dtype.size();
    if view.dtype == DType::F16 {
        let dst = dst.cast::<f32>();
        // SAFETY: the view addresses valid float16 elements; dst holds a block of float32.
        view.walk(shape, start, len, |p, j| unsafe {
            *dst.add(j) = f16_to_f32(p.cast::<u16>().read_unaligned());
        });
        return;
    }
    // SAFETY: as above, elements of `size` bytes.
    view.walk(shape, start, len, |p, j| unsafe {
        std::ptr::copy_nonoverlapping(p, dst.add(j * size), size);
    });
}

/// Writes a register of the output type to the output view.
unsafe fn scatter(view: &View, shape: &[usize], start: usize, len: usize, src: *const u8) {
    let size = view.dtype.size();
    if view.dtype == DType::F16 {
        let src = src.cast::<f32>();
        // SAFETY: src holds `len` float32 values already rounded to float16; the view is writable.
        view.walk(shape, start, len, |p, j| unsafe {
            p.cast::<u16>().write_unaligned(f32_to_f16(*src.add(j)).0);
        });
        return;
    }
    // SAFETY: as above.
    view.walk(shape, start, len, |p, j| unsafe {
        std::ptr::copy_nonoverlapping(src.add(j * size), p, size);
    });
}

/// Fills `n` elements of a register with a constant.
unsafe fn fill(dst: *mut u8, value: Value, dtype: DType, n: usize) {
    with_type!(dtype, T => {
        let x: T = elem_of(value, dtype);
        // SAFETY: the register holds a block of `T`.
        let d = unsafe { std::slice::from_raw_parts_mut(dst.cast::<T>(), n) };
        d.fill(x);
    })
}

fn elem_of<T: Elem>(value: Value, dtype: DType) -> T {
    match value {
        Value::Bool(b) => T::from_i128(i128::from(b)),
        Value::Int(i) if dtype.is_float() => elem_of(Value::Float(i as f64), dtype),
        Value::Int(i) => T::from_i128(i128::from(i)),
        Value::UInt(u) => T::from_i128(i128::from(u)),
        Value::Float(f) if dtype == DType::F16 => T::from_f64(f64::from(f64_to_f16(f).0)),
        Value::Float(f) => T::from_f64(f),
    }
}

fn value_of<T: Elem>(x: T, dtype: DType) -> Value {
    if dtype.is_float() {
        Value::Float(x.to_f64())
    } else if dtype == DType::Bool {
        Value::Bool(x.truthy())
    } else {
        let i = x.to_i128();
        i64::try_from(i).map_or(Value::UInt(i as u64), Value::Int)
    }
}

/// A pointer the workers write disjoint slots of.
struct SendPtr(*mut u64);

// SAFETY: each worker writes only the slots of its own units.
unsafe impl Sync for SendPtr {}

/// One worker's registers.
struct Worker {
    bufs: Vec<Vec<u64>>,
    ptrs: Vec<*mut u8>,
}

impl Worker {
    /// Registers for blocks of at most `most` elements (no more than the program's block).
    fn new(ctx: &Ctx<'_>, most: usize) -> Worker {
        let prog = ctx.prog;
        let block = prog.block.min(most).max(1);
        let mut bufs: Vec<Vec<u64>> = (0..prog.regs).map(|_| vec![0u64; block]).collect();
        let ptrs: Vec<*mut u8> = bufs.iter_mut().map(|b| b.as_mut_ptr().cast()).collect();
        for inst in &prog.init {
            if let Inst::Fill { dst, value, dtype } = inst {
                // SAFETY: a register of `block` elements.
                unsafe { fill(ptrs[*dst], *value, *dtype, block) };
            }
        }
        for &(dst, v, dtype) in ctx.fills {
            // SAFETY: as above.
            unsafe { fill(ptrs[dst], v, dtype, block) };
        }
        Worker { bufs, ptrs }
    }

    /// Computes flat elements `s..s + len` (at most a block); the last operation writes straight into
    /// `out` when it can. Returns the conditions met and whether the result went to `out`.
    /// With `stream_end` (the end of this worker's part of a large output), that last operation's
    /// loop streams its stores and prefetches the inputs' next block.
    fn block(
        &mut self,
        ctx: &Ctx<'_>,
        s: usize,
        len: usize,
        out: Option<&View>,
        stream_end: Option<usize>,
    ) -> (u8, bool) {
        let prog = ctx.prog;
        let (bufs, ptrs) = (&mut self.bufs, &mut self.ptrs);
        let last = prog.body.len().wrapping_sub(1);
        let mut status = 0;
        let mut direct_out = false;
        for (k, inst) in prog.body.iter().enumerate() {
            match inst {
                Inst::Load { dst, input } => {
                    let v = ctx.views[*input].as_ref().unwrap();
                    if v.direct && !v.scalar {
                        ptrs[*dst] = v.ptr.wrapping_add(s * v.dtype.size());
                    } else if v.direct {
                        ptrs[*dst] = bufs[*dst].as_mut_ptr().cast();
                        // SAFETY: one element of the input's type, copied over the block.
                        unsafe { broadcast(v.ptr, v.dtype, ptrs[*dst], len) };
                    } else {
                        ptrs[*dst] = bufs[*dst].as_mut_ptr().cast();
                        // SAFETY: the view is valid over the call; the register holds a block.
                        unsafe { gather(v, ctx.shape, s, len, ptrs[*dst]) };
                    }
                }
                Inst::Op {
                    op,
                    operand,
                    dtype,
                    dst,
                    args,
                    scalar,
                    kernel,
                } => {
                    let direct = out.filter(|o| k == last && *dst == prog.root && o.direct);
                    ptrs[*dst] = match direct {
                        Some(o) => {
                            direct_out = true;
                            o.ptr.wrapping_add(s * o.dtype.size())
                        }
                        None => bufs[*dst].as_mut_ptr().cast(),
                    };
                    let mut a = [std::ptr::null::<u8>(); 3];
                    for (p, &r) in a.iter_mut().zip(args) {
                        *p = ptrs[r].cast_const();
                    }
                    let a = &a[..args.len()];
                    // SAFETY: registers of `len` elements of the operand and result types.
                    let run = || unsafe {
                        run_op(*op, *operand, *dtype, *kernel, a, *scalar, ptrs[*dst], len)
                    };
                    status |= if let (Some(end), Some(_)) = (stream_end, direct) {
                        // The next block of each input read in place, within this worker's part.
                        let next = (s + len).min(end);
                        let count = (next + len).min(end) - next;
                        let mut t = [(std::ptr::null::<u8>(), 0); apply::MAX_PREFETCH_TARGETS];
                        let inputs = ctx.views.iter().flatten().filter(|v| v.direct && !v.scalar);
                        for (slot, v) in t.iter_mut().zip(inputs) {
                            let size = v.dtype.size();
                            *slot = (v.ptr.wrapping_add(next * size).cast_const(), count * size);
                        }
                        apply::with_streamed_outputs_prefetching(&t, run)
                    } else {
                        run()
                    };
                }
                Inst::Fill { .. } | Inst::Scalar { .. } => {}
            }
        }
        (status, direct_out)
    }

    fn root(&self, prog: &Program) -> *const u8 {
        self.ptrs[prog.root]
    }
}

impl Ctx<'_> {
    fn work(&self, start: usize, end: usize) -> u8 {
        let out = self.out.expect("an output");
        let mut w = Worker::new(self, end - start);
        let mut status = 0u8;
        let mut s = start;
        let stream = (end - start) * out.dtype.size() >= apply::STREAM_MIN_BYTES;
        let stream_end = stream.then_some(end);
        while s < end {
            let len = self.prog.block.min(end - s);
            let (st, direct) = w.block(self, s, len, Some(out), stream_end);
            status |= st;
            if !direct {
                // SAFETY: the root register holds `len` results; the output view is writable.
                unsafe { scatter(out, self.shape, s, len, w.root(self.prog)) };
            }
            s += len;
        }
        status
    }

    /// Reduces units `u0..u1` (unit u: chunk u % chunks of row u / chunks, rows of `row` elements)
    /// into `partials`.
    fn reduce_units(
        &self,
        u0: usize,
        u1: usize,
        row: usize,
        chunks: usize,
        partials: *mut u64,
        r: Reduction,
    ) -> u8 {
        let mut w = Worker::new(self, row);
        let mut status = 0u8;
        let dtype = self.prog.result;
        for u in u0..u1 {
            let (i, c) = (u / chunks, u % chunks);
            let block = self.prog.block;
            let s = i * row + c * block;
            let len = block.min(row - c * block);
            status |= w.block(self, s, len, None, None).0;
            let v = with_type!(dtype, T => {
                // SAFETY: the root register holds `len` elements of T.
                let x = unsafe { slice::<T>(w.root(self.prog), len) };
                bits_of(reduce_slice(r, x))
            });
            // SAFETY: one slot per unit; each unit is done by one worker.
            unsafe { *partials.add(u) = v };
        }
        status
    }
}

/// The bits of a register element, in a u64.
fn bits_of<T: Elem>(x: T) -> u64 {
    let mut b = 0u64;
    // SAFETY: T is at most 8 bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(
            (&raw const x).cast::<u8>(),
            (&raw mut b).cast::<u8>(),
            std::mem::size_of::<T>(),
        )
    };
    b
}

fn from_bits<T: Elem>(b: u64) -> T {
    let mut x = T::default();
    // SAFETY: as above.
    unsafe {
        std::ptr::copy_nonoverlapping(
            (&raw const b).cast::<u8>(),
            (&raw mut x).cast::<u8>(),
            std::mem::size_of::<T>(),
        )
    };
    x
}

/// A reduction of a slice in a fixed order: pairwise for sums (error growing as log n), in order
/// otherwise. The order depends only on the length, never on threads.
fn reduce_slice<T: Elem>(r: Reduction, x: &[T]) -> T {
    match r {
        Reduction::Sum => pairwise(x),
        Reduction::Prod => x.iter().fold(T::from_i128(1), |a, &b| a.mul(b)),
        Reduction::Max => x[1..].iter().fold(x[0], |a, &b| a.max(b)),
        Reduction::Min => x[1..].iter().fold(x[0], |a, &b| a.min(b)),
    }
}

fn pairwise<T: Elem>(x: &[T]) -> T {
    if x.len() <= 16 {
        return x.iter().fold(T::default(), |a, &b| a.add(b));
    }
    let (a, b) = x.split_at(x.len() / 2);
    pairwise(a).add(pairwise(b))
}

/// Copies one element over `n` register slots (float16 widened).
unsafe fn broadcast(src: *const u8, dtype: DType, dst: *mut u8, n: usize) {
    let v = match dtype {
        DType::F16 => unreachable!("float16 views are never direct"),
        d => {
            let size = d.size();
            let mut bytes = [0u8; 8];
            // SAFETY: one element.
            unsafe { std::ptr::copy_nonoverlapping(src, bytes.as_mut_ptr(), size) };
            (bytes, size)
        }
    };
    for j in 0..n {
        // SAFETY: the register holds n elements.
        unsafe { std::ptr::copy_nonoverlapping(v.0.as_ptr(), dst.add(j * v.1), v.1) };
    }
}

/// Runs one operation over `n` register elements.
///
/// # Safety
/// `args` and `dst` point at `n` elements of the operand and result register types.
unsafe fn run_op(
    op: Op,
    operand: DType,
    dtype: DType,
    kernel: Kernel,
    args: &[*const u8],
    scalar: [bool; 3],
    dst: *mut u8,
    n: usize,
) -> u8 {
    let rs = operand.reg_size() as isize;
    let step = |k: usize| if scalar[k] { 0 } else { rs };
    let mut status = match kernel {
        // SAFETY: contiguous registers of the loop's type.
        Kernel::Unary(l) => unsafe { l(args[0], rs, dst, rs, n) },
        // SAFETY: as above; a constant register is read as one value (step 0).
        Kernel::Binary(l) => unsafe { l(args[0], step(0), args[1], step(1), dst, rs, n) },
        // SAFETY: forwarded; the loop is for a level this CPU supports.
        Kernel::Generic(f) => unsafe { f(op, operand, dtype, args, dst, n) },
    };
    if dtype == DType::F16 && op != Op::Cast {
        // SAFETY: a float16 register is float32 storage.
        let d = unsafe { std::slice::from_raw_parts_mut(dst.cast::<f32>(), n) };
        status |= round_f16_slice(d);
    }
    status
}

unsafe fn slice<'a, T>(p: *const u8, n: usize) -> &'a [T] {
    // SAFETY: the caller's register of n elements of T.
    unsafe { std::slice::from_raw_parts(p.cast::<T>(), n) }
}

/// The generic loops, indexed by [`Isa`] (the same code compiled for each level, so that integer,
/// comparison, `where` and cast loops vectorise as wide as the kernels).
#[cfg(target_arch = "x86_64")]
const GENERIC: [GenericFn; 3] = [generic_base, generic_avx2, generic_avx512];
#[cfg(not(target_arch = "x86_64"))]
const GENERIC: [GenericFn; 3] = [generic_base, generic_base, generic_base];

/// One instruction-set entry point of the generic loops: `generic` compiled with these features.
macro_rules! generic_entry {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        unsafe fn $name(
            op: Op,
            operand: DType,
            dtype: DType,
            args: &[*const u8],
            dst: *mut u8,
            n: usize,
        ) -> u8 {
            // SAFETY: forwarded; a level is only chosen where the CPU has its features.
            unsafe { generic(op, operand, dtype, args, dst, n) }
        }
    };
}

generic_entry!(generic_base);
generic_entry!(
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
    generic_avx2
);
generic_entry!(
    #[cfg(target_arch = "x86_64")]
    #[target_feature(
        enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma,bmi1,bmi2,lzcnt,popcnt"
    )]
    generic_avx512
);

#[inline(always)]
unsafe fn generic(
    op: Op,
    operand: DType,
    dtype: DType,
    args: &[*const u8],
    dst: *mut u8,
    n: usize,
) -> u8 {
    match op {
        Op::Cast => with_type!(operand, S => with_type!(dtype, D => {
            // SAFETY: registers of S and D.
            let (a, d) = unsafe { (slice::<S>(args[0], n), std::slice::from_raw_parts_mut(dst.cast::<D>(), n)) };
            let mut s = 0;
            for (d, &x) in d.iter_mut().zip(a) {
                let (y, t) = convert::<S, D>(x, dtype);
                *d = y;
                s |= t;
            }
            s
        })),
        Op::Where => {
            // SAFETY: a bool register, two of the result type.
            let c = unsafe { slice::<Bool8>(args[0], n) };
            match dtype.reg_size() {
                1 => unsafe { select::<u8>(c, args[1], args[2], dst, n) },
                2 => unsafe { select::<u16>(c, args[1], args[2], dst, n) },
                4 => unsafe { select::<u32>(c, args[1], args[2], dst, n) },
                _ => unsafe { select::<u64>(c, args[1], args[2], dst, n) },
            }
            0
        }
        Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::Eq | Op::Ne => with_type!(operand, T => {
            // SAFETY: two registers of T, a bool register.
            let (a, b) = unsafe { (slice::<T>(args[0], n), slice::<T>(args[1], n)) };
            let d = unsafe { std::slice::from_raw_parts_mut(dst.cast::<u8>(), n) };
            compare(op, a, b, d);
            0
        }),
        _ => with_type!(operand, T => {
            // SAFETY: registers of T (the result has the operand's type).
            let d = unsafe { std::slice::from_raw_parts_mut(dst.cast::<T>(), n) };
            let a = unsafe { slice::<T>(args[0], n) };
            let b = if args.len() > 1 { unsafe { slice::<T>(args[1], n) } } else { a };
            if T::FLOAT {
                fpstatus::clear();
            }
            let s = arith(op, a, b, d);
            if T::FLOAT { s | fpstatus::current() } else { s }
        }),
    }
}

#[inline(always)]
unsafe fn select<T: Copy>(c: &[Bool8], a: *const u8, b: *const u8, dst: *mut u8, n: usize) {
    // SAFETY: registers of n elements of T.
    let (a, b, d) = unsafe {
        (
            slice::<T>(a, n),
            slice::<T>(b, n),
            std::slice::from_raw_parts_mut(dst.cast::<T>(), n),
        )
    };
    for i in 0..n {
        d[i] = if c[i].0 != 0 { a[i] } else { b[i] };
    }
}

#[inline(always)]
fn compare<T: Elem>(op: Op, a: &[T], b: &[T], d: &mut [u8]) {
    macro_rules! cmp {
        ($f:expr) => {
            for ((d, &x), &y) in d.iter_mut().zip(a).zip(b) {
                *d = u8::from($f(x, y));
            }
        };
    }
    match op {
        Op::Lt => cmp!(|x: T, y: T| x < y),
        Op::Le => cmp!(|x: T, y: T| x <= y),
        Op::Gt => cmp!(|x: T, y: T| x > y),
        Op::Ge => cmp!(|x: T, y: T| x >= y),
        Op::Eq => cmp!(|x: T, y: T| x == y),
        _ => cmp!(|x: T, y: T| x != y),
    }
}

#[inline(always)]
fn arith<T: Elem>(op: Op, a: &[T], b: &[T], d: &mut [T]) -> u8 {
    macro_rules! map2 {
        ($f:expr) => {{
            for ((d, &x), &y) in d.iter_mut().zip(a).zip(b) {
                *d = $f(x, y);
            }
            0
        }};
    }
    macro_rules! map2s {
        ($f:expr) => {{
            let mut s = 0;
            for ((d, &x), &y) in d.iter_mut().zip(a).zip(b) {
                let (r, t) = $f(x, y);
                *d = r;
                s |= t;
            }
            s
        }};
    }
    macro_rules! map1 {
        ($f:expr) => {{
            for (d, &x) in d.iter_mut().zip(a) {
                *d = $f(x);
            }
            0
        }};
    }
    match op {
        Op::Add => map2!(T::add),
        Op::Sub => map2!(T::sub),
        Op::Mul => map2!(T::mul),
        Op::And => map2!(T::and),
        Op::Or => map2!(T::or),
        Op::Xor => map2!(T::xor),
        Op::Max => map2!(T::max),
        Op::Min => map2!(T::min),
        Op::FloorDiv => map2s!(T::floordiv),
        Op::Mod => map2s!(T::modulo),
        Op::Pow => map2s!(T::ipow),
        Op::Neg => map1!(T::neg),
        Op::Abs => map1!(T::abs),
        Op::Not => map1!(T::not),
        // Float division and functions always have a SIMD kernel.
        _ => unreachable!("{op:?} has no generic loop"),
    }
}

/// The node with constant arguments replaced by its value, when computing it raises no condition
/// (otherwise the warning belongs to the run).
pub(crate) fn fold(nodes: &[Typed], node: Node, dtype: DType) -> Node {
    let Node::Op { op, operand, args } = &node else {
        return node;
    };
    let mut vals = Vec::new();
    for &a in args {
        match nodes[a].node {
            Node::Const(v) => vals.push((v, nodes[a].dtype)),
            _ => return node,
        }
    }
    let bufs: Vec<[u64; 1]> = vals
        .iter()
        .map(|&(v, d)| {
            let mut b = [0u64; 1];
            // SAFETY: one element.
            unsafe { fill(b.as_mut_ptr().cast(), v, d, 1) };
            b
        })
        .collect();
    let ptrs: Vec<*const u8> = bufs.iter().map(|b| b.as_ptr().cast()).collect();
    let mut out = [0u64; 1];
    let k = kernel(*op, *operand, dtype, isa::active());
    // SAFETY: one-element registers.
    let status = unsafe {
        run_op(
            *op,
            *operand,
            dtype,
            k,
            &ptrs,
            [false; 3],
            out.as_mut_ptr().cast(),
            1,
        )
    };
    if status != 0 {
        return node;
    }
    let v = with_type!(dtype, T => {
        // SAFETY: one element of T.
        let x: T = unsafe { out.as_ptr().cast::<T>().read() };
        value_of(x, dtype)
    });
    Node::Const(v)
}
