package io.github.singleinstance.benchmarks.large;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** The owners, in H2. */
interface OwnerRepository extends JpaRepository<Owner, Long> {

    List<Owner> findByLastNameStartingWithIgnoreCaseOrderByLastName(String prefix);

    long countByLastNameStartingWithIgnoreCase(String prefix);
}
