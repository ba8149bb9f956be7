// The installed typegrad::mpi target: the header and MPI found through find_package(typegrad).
#include <typegrad/mpi.hpp>
#include <typegrad/typegrad.hpp>

#include <vector>

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int ok = 0;
    {
        typegrad::mpi::context ctx(MPI_COMM_WORLD);
        double a = 1.0;
        std::vector<double> v(3, 2.0);
        typegrad::mpi::allreduce_sum(ctx, a, v);
        ok = a == ctx.size() && v[2] == 2.0 * ctx.size();
    }
    MPI_Finalize();
    return ok ? 0 : 1;
}
